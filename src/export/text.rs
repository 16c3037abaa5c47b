//! Text as every export writes it: characters XML 1.0 forbids removed
//! (so all formats carry the same strings), and XML escaping.

use std::borrow::Cow;

/// Whether XML 1.0 allows the character at all. Rust strings hold no
/// surrogates, so what remains to refuse is the C0 controls other than tab,
/// line feed and carriage return, and the non-characters U+FFFE and U+FFFF.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// `s` without the characters XML 1.0 forbids. Applied to every string of
/// every export, not only the XML ones, so that a label reads the same in
/// Gephi, Neo4j and networkx.
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|c| is_xml_char(*c)).collect())
    }
}

/// Escapes `s` for XML element content or a double- or single-quoted
/// attribute value, after [`clean`]. Tab, line feed and carriage return
/// become character references so attribute-value normalisation cannot turn
/// them into spaces, and `]]>` cannot occur because `>` is escaped.
pub fn escape(s: &str) -> Cow<'_, str> {
    let needs =
        |c: char| matches!(c, '&' | '<' | '>' | '"' | '\'' | '\t' | '\n' | '\r') || !is_xml_char(c);
    if !s.chars().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("“A&B” <测试> ]]> 'q' \"dq\""),
            "“A&amp;B” &lt;测试&gt; ]]&gt; &apos;q&apos; &quot;dq&quot;"
        );
        assert_eq!(escape("江苏省科学技术厅"), "江苏省科学技术厅");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn keeps_whitespace_as_references() {
        assert_eq!(escape("a\tb\nc\r\nd"), "a&#9;b&#10;c&#13;&#10;d");
    }

    #[test]
    fn removes_characters_xml_forbids() {
        assert_eq!(escape("x\u{1}y\u{0}z\u{FFFE}\u{FFFF}\u{1F}"), "xyz");
        assert_eq!(clean("x\u{1}y\u{FFFE}"), "xy");
        // Allowed edge cases stay.
        assert_eq!(clean("\u{7F}\u{FFFD}\u{10000}"), "\u{7F}\u{FFFD}\u{10000}");
        assert!(matches!(clean("fine 中文"), Cow::Borrowed(_)));
    }

    #[test]
    fn every_char_of_the_escaped_text_is_allowed() {
        let all: String = (0u32..0x11000).filter_map(char::from_u32).collect();
        let escaped = escape(&all);
        assert!(escaped.chars().all(is_xml_char));
        assert!(!escaped.contains('<') && !escaped.contains('"') && !escaped.contains('\n'));
    }
}
