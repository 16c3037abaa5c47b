//! The properties of one node or edge: a small map kept in one exactly
//! sized vector.
//!
//! A node or edge has two to ten properties. A `BTreeMap` spends a whole
//! leaf (over 500 bytes here) on each, which made the properties most of
//! the graph's memory; a sorted vector holds the same entries in about a
//! quarter of that, and is faster to fill, read and free.

use super::schema::Value;

/// Property name → value, iterated in name order (as a `BTreeMap` would).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Props(Vec<(&'static str, Value)>);

impl Props {
    pub fn new() -> Props {
        Props(Vec::new())
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        // Names are the schema's constants, so usually the very same
        // pointer: found without comparing bytes.
        let same = |n: &&str| n.as_ptr() == name.as_ptr() && n.len() == name.len();
        if let Some(i) = self.0.iter().position(|(n, _)| same(n)) {
            return Ok(i);
        }
        self.0.binary_search_by(|(n, _)| (*n).cmp(name))
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Sets `name`, returning the value it replaces.
    pub fn insert(&mut self, name: &'static str, value: Value) -> Option<Value> {
        match self.find(name) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                if self.0.len() == self.0.capacity() {
                    // Grow by one: most elements get all their properties
                    // at once and keep them, so spare room would be waste.
                    self.0.reserve_exact(1);
                }
                self.0.insert(i, (name, value));
                None
            }
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.find(name).ok().map(|i| self.0.remove(i).1)
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entries in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        self.0.iter().map(|(n, v)| (*n, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_sorted_map() {
        let mut p = Props::new();
        assert!(p.is_empty());
        assert_eq!(p.insert("title", Value::Str("a".into())), None);
        assert_eq!(p.insert("date", Value::Int(1)), None);
        assert_eq!(p.insert("source", Value::Bool(true)), None);
        assert_eq!(p.insert("date", Value::Int(2)), Some(Value::Int(1)));
        assert_eq!(p.len(), 3);
        assert_eq!(p.get("date"), Some(&Value::Int(2)));
        assert!(p.contains_key("source") && !p.contains_key("sour"));
        let names: Vec<&str> = p.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["date", "source", "title"]);
        assert_eq!(p.remove("source"), Some(Value::Bool(true)));
        assert_eq!(p.remove("source"), None);
        assert_eq!(p.len(), 2);
        p.clear();
        assert!(p.get("date").is_none());
    }
}
