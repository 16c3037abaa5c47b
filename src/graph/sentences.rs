//! Sentence boundaries, in character offsets, so that the builder can tell
//! which mentions stand in the same sentence (an amount belongs to the
//! program named beside it; an agency named with a document issues it).

/// Characters that end a sentence. The semicolon counts because bulletins
/// list separate measures in one long sentence joined by `；`, and a line
/// break counts because `text` joins paragraphs with `\n`.
#[allow(dead_code)] // the definition: `Sentences::new` scans for exactly these
const TERMINATORS: &[char] = &['。', '！', '？', '；', '!', '?', ';', '\n'];

/// The start offsets (in chars) of the sentences of one text.
#[derive(Clone, Debug)]
pub(crate) struct Sentences {
    starts: Vec<usize>,
}

impl Sentences {
    /// One pass over the bytes of the text, counting characters by their
    /// lead bytes (every terminator is one or three bytes long).
    pub(crate) fn new(text: &str) -> Sentences {
        let mut starts = vec![0];
        let b = text.as_bytes();
        let (mut i, mut chars) = (0usize, 0usize);
        while i < b.len() {
            let lead = b[i];
            let len = match lead {
                0x00..=0x7F => {
                    if matches!(lead, b'!' | b'?' | b';' | b'\n') {
                        starts.push(chars + 1);
                    }
                    1
                }
                0xC0..=0xDF => 2,
                0xE0..=0xEF => {
                    // 。 E3 80 82; ！ EF BC 81; ？ EF BC 9F; ； EF BC 9B.
                    if let Some(&[x, y]) = b
                        .get(i + 1..i + 3)
                        .map(|s| <&[u8; 2]>::try_from(s).unwrap())
                    {
                        if matches!(
                            (lead, x, y),
                            (0xE3, 0x80, 0x82) | (0xEF, 0xBC, 0x81 | 0x9F | 0x9B)
                        ) {
                            starts.push(chars + 1);
                        }
                    }
                    3
                }
                _ => 4,
            };
            i += len;
            chars += 1;
        }
        Sentences { starts }
    }

    /// The index of the sentence holding the character at `offset`; a
    /// terminator belongs to the sentence it ends. Offsets past the end fall
    /// in the last sentence rather than panicking on a bad span.
    pub(crate) fn index(&self, offset: usize) -> usize {
        // starts[0] == 0 <= offset, so the partition point is at least 1.
        self.starts.partition_point(|&s| s <= offset) - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan agrees with the definition: a sentence starts after
    /// every terminator character.
    #[test]
    fn byte_scan_matches_char_scan() {
        let text = "近日，江苏省科技厅印发《方案》。第二句！第三句？第四；五;六!七?八\n九é€𝄞。";
        let mut expected = vec![0];
        for (i, c) in text.chars().enumerate() {
            if TERMINATORS.contains(&c) {
                expected.push(i + 1);
            }
        }
        assert_eq!(Sentences::new(text).starts, expected);
        assert_eq!(Sentences::new("").starts, vec![0]);
    }

    fn char_offset(text: &str, needle: &str) -> usize {
        let byte = text.find(needle).unwrap();
        text[..byte].chars().count()
    }

    #[test]
    fn splits_on_chinese_punctuation_and_newlines() {
        // From the sample corpus (003, 江苏启动科技创新券试点).
        let text = "近日，江苏省科技厅、省财政厅联合印发《江苏省科技创新券试点方案》，启动科技创新券试点工作。\
                    江苏省科技创新券主要通过省级财政资金后补助的方式；对企业给予补助！\n第二段？";
        let s = Sentences::new(text);
        let agency = s.index(char_offset(text, "省财政厅"));
        let program = s.index(char_offset(text, "《江苏省"));
        assert_eq!(agency, program);
        assert_eq!(
            s.index(char_offset(text, "工作。")),
            0,
            "a terminator ends its own sentence"
        );
        assert_eq!(s.index(char_offset(text, "主要")), 1);
        assert_eq!(s.index(char_offset(text, "对企业")), 2);
        assert_eq!(s.index(char_offset(text, "第二段")), 4);
    }

    #[test]
    fn out_of_range_offsets_do_not_panic() {
        let s = Sentences::new("一。二");
        assert_eq!(s.index(100), 1);
        assert_eq!(Sentences::new("").index(0), 0);
    }
}
