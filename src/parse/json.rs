//! Where each value of a JSON text was written. serde reads an export into the typed model but
//! forgets positions; this index keeps them, so that a problem found later is located by JSON
//! pointer (`/strategies/0/initiatives/3/id`) and by line and column, and it hands the values
//! over as the tree the TOML reader walks (with these positions), so that the TOML path's
//! parsers can read an export's items (see `parse::export`).
//!
//! It runs on text serde_json has accepted already: the scanner only records where things are,
//! and gives up (`None`) on anything it does not expect rather than guess.

use std::borrow::Cow;

use toml::Spanned;
use toml::de::DeArray;
use toml::de::DeTable;
use toml::de::DeValue;

use crate::diagnostic::Span;

/// Deeper than serde_json reads (128), so that whatever it accepted is indexed.
const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// One value. Offsets are `u32`: files over 64 MB are refused before they are read.
#[derive(Debug, Clone)]
struct Node {
    start: u32,
    end: u32,
    /// The member's key with its quotes; empty for array items and the root.
    key: (u32, u32),
    kind: Kind,
    /// The node's children are `children[first..first + len]`, in the order written.
    first: u32,
    len: u32,
}

/// The positions of every value of a JSON text (the root is node 0).
#[derive(Debug, Clone)]
pub struct JsonIndex {
    nodes: Vec<Node>,
    children: Vec<u32>,
}

impl JsonIndex {
    /// Indexes a JSON text; `None` if it is not one (or too large or deep to index).
    pub fn scan(text: &str) -> Option<JsonIndex> {
        u32::try_from(text.len()).ok()?;
        let mut s = Scanner {
            b: text.as_bytes(),
            pos: 0,
            nodes: Vec::new(),
            children: Vec::new(),
            pending: Vec::new(),
        };
        s.ws();
        s.value((0, 0), 0)?;
        s.ws();
        (s.pos == s.b.len()).then_some(JsonIndex {
            nodes: s.nodes,
            children: s.children,
        })
    }

    /// The document's root value, read from `text` (the text that was indexed).
    pub fn root<'a>(&'a self, text: &'a str) -> Json<'a> {
        Json {
            index: self,
            text,
            id: 0,
        }
    }

    /// The JSON pointer of the innermost value (or member, key included) that holds `offset`:
    /// `/strategies/0/organisations/3/id`; empty for the root.
    pub fn pointer_at(&self, text: &str, offset: usize) -> String {
        let mut out = String::new();
        let mut at = self.root(text);
        loop {
            let kids = at.child_ids();
            let starts = |&c: &u32| {
                let n = &self.nodes[c as usize];
                if n.key.1 > n.key.0 { n.key.0 } else { n.start }
            };
            let i = kids.partition_point(|c| starts(c) as usize <= offset);
            let Some(&c) = i.checked_sub(1).and_then(|i| kids.get(i)) else {
                return out;
            };
            if offset >= self.nodes[c as usize].end as usize {
                return out;
            }
            let child = Json { id: c, ..at };
            out.push('/');
            match at.node().kind {
                Kind::Object => {
                    out.push_str(&child.key().replace('~', "~0").replace('/', "~1"));
                }
                _ => out.push_str(&(i - 1).to_string()),
            }
            at = child;
        }
    }
}

struct Scanner<'t> {
    b: &'t [u8],
    pos: usize,
    nodes: Vec<Node>,
    children: Vec<u32>,
    /// The children of the objects and arrays being read, innermost last.
    pending: Vec<u32>,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while matches!(self.b.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        let found = self.b.get(self.pos) == Some(&c);
        self.pos += usize::from(found);
        found
    }

    fn offset(&self) -> u32 {
        // The text's length fits (checked in `scan`).
        u32::try_from(self.pos).unwrap_or(u32::MAX)
    }

    /// Reads one value; its node's number.
    fn value(&mut self, key: (u32, u32), depth: usize) -> Option<u32> {
        if depth > MAX_DEPTH {
            return None;
        }
        let id = u32::try_from(self.nodes.len()).ok()?;
        let start = self.offset();
        self.nodes.push(Node {
            start,
            end: start,
            key,
            kind: Kind::Null,
            first: 0,
            len: 0,
        });
        let mark = self.pending.len();
        let kind = match *self.b.get(self.pos)? {
            open @ (b'{' | b'[') => {
                let (object, close) = (open == b'{', if open == b'{' { b'}' } else { b']' });
                self.pos += 1;
                self.ws();
                if !self.eat(close) {
                    loop {
                        self.ws();
                        let key = if object { self.key()? } else { (0, 0) };
                        let child = self.value(key, depth + 1)?;
                        self.pending.push(child);
                        self.ws();
                        if !self.eat(b',') {
                            self.eat(close).then_some(())?;
                            break;
                        }
                    }
                }
                if object { Kind::Object } else { Kind::Array }
            }
            b'"' => {
                self.string()?;
                Kind::String
            }
            b't' => self.word(b"true", Kind::True)?,
            b'f' => self.word(b"false", Kind::False)?,
            b'n' => self.word(b"null", Kind::Null)?,
            b'-' | b'0'..=b'9' => {
                while matches!(
                    self.b.get(self.pos),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.pos += 1;
                }
                Kind::Number
            }
            _ => return None,
        };
        let first = u32::try_from(self.children.len()).ok()?;
        let len = u32::try_from(self.pending.len() - mark).ok()?;
        self.children.extend(self.pending.drain(mark..));
        let end = self.offset();
        let node = self.nodes.get_mut(id as usize)?;
        (node.kind, node.end, node.first, node.len) = (kind, end, first, len);
        Some(id)
    }

    /// A member's key and its colon: where the key was written.
    fn key(&mut self) -> Option<(u32, u32)> {
        let start = self.offset();
        self.string()?;
        let key = (start, self.offset());
        self.ws();
        self.eat(b':').then_some(())?;
        self.ws();
        Some(key)
    }

    fn string(&mut self) -> Option<()> {
        self.eat(b'"').then_some(())?;
        loop {
            match *self.b.get(self.pos)? {
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                b'\\' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
    }

    fn word(&mut self, word: &[u8], kind: Kind) -> Option<Kind> {
        self.b.get(self.pos..)?.starts_with(word).then_some(())?;
        self.pos += word.len();
        Some(kind)
    }
}

/// A value of an indexed text.
#[derive(Clone, Copy)]
pub struct Json<'a> {
    index: &'a JsonIndex,
    text: &'a str,
    id: u32,
}

impl<'a> Json<'a> {
    fn node(&self) -> &'a Node {
        &self.index.nodes[self.id as usize]
    }

    fn child_ids(&self) -> &'a [u32] {
        let n = self.node();
        let (first, len) = (n.first as usize, n.len as usize);
        self.index.children.get(first..first + len).unwrap_or(&[])
    }

    fn children(self) -> impl Iterator<Item = Json<'a>> + 'a {
        let this = self;
        self.child_ids().iter().map(move |&id| Json { id, ..this })
    }

    /// Where the value was written.
    pub fn span(&self) -> Span {
        self.node().start as usize..self.node().end as usize
    }

    pub fn is_null(&self) -> bool {
        self.node().kind == Kind::Null
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<Json<'a>> {
        if self.node().kind != Kind::Object {
            return None;
        }
        self.children().find(|c| c.key() == key)
    }

    /// The item `i` of an array.
    pub fn at(&self, i: usize) -> Option<Json<'a>> {
        if self.node().kind != Kind::Array {
            return None;
        }
        let id = *self.child_ids().get(i)?;
        Some(Json { id, ..*self })
    }

    /// The items of an array (none for anything else).
    pub fn items(self) -> impl Iterator<Item = Json<'a>> + 'a {
        let array = self.node().kind == Kind::Array;
        self.children().filter(move |_| array)
    }

    /// The members of an object (none for anything else).
    pub fn members(self) -> impl Iterator<Item = Json<'a>> + 'a {
        let object = self.node().kind == Kind::Object;
        self.children().filter(move |_| object)
    }

    /// The key of an object's member.
    pub fn key(&self) -> Cow<'a, str> {
        let (start, end) = self.node().key;
        decode(self.text.get(start as usize..end as usize).unwrap_or(""))
    }

    /// Where the key of an object's member was written.
    pub fn key_span(&self) -> Span {
        let (start, end) = self.node().key;
        start as usize..end as usize
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<Cow<'a, str>> {
        (self.node().kind == Kind::String).then(|| decode(self.raw()))
    }

    fn raw(&self) -> &'a str {
        self.text.get(self.span()).unwrap_or("")
    }

    /// The value as the TOML reader's tree, at its place in the JSON text; `None` for `null`,
    /// which TOML has not (a member that is `null` reads as absent).
    pub fn to_toml(&self) -> Option<Spanned<DeValue<'a>>> {
        let value = match self.node().kind {
            Kind::Null => return None,
            Kind::True => DeValue::Boolean(true),
            Kind::False => DeValue::Boolean(false),
            Kind::String => DeValue::String(decode(self.raw())),
            // JSON numbers are TOML numbers; one that is not reads as text, and the reader
            // says it is not a number.
            Kind::Number => DeValue::parse(self.raw()).map_or_else(
                |_| DeValue::String(Cow::Borrowed(self.raw())),
                Spanned::into_inner,
            ),
            Kind::Array => {
                let mut array = DeArray::new();
                for item in self.children().filter_map(|c| c.to_toml()) {
                    array.push(item);
                }
                DeValue::Array(array)
            }
            Kind::Object => DeValue::Table(self.to_table(|k| k)),
        };
        Some(Spanned::new(self.span(), value))
    }

    /// An object as a TOML table, its keys renamed by `rename` (`milestones` → `milestone`).
    pub fn to_table(&self, rename: impl Fn(&str) -> &str) -> DeTable<'a> {
        let mut table = DeTable::new();
        for m in self.members() {
            if let Some(value) = m.to_toml() {
                let key = match m.key() {
                    Cow::Borrowed(k) => Cow::Borrowed(rename(k)),
                    Cow::Owned(k) => Cow::Owned(rename(&k).to_string()),
                };
                table.insert(Spanned::new(m.key_span(), key), value);
            }
        }
        table
    }
}

/// The text of a JSON string, given with its quotes.
fn decode(raw: &str) -> Cow<'_, str> {
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    serde_json::from_str::<String>(raw).map_or(Cow::Borrowed(inner), Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{"a": [1, {"b/c": "x\u0041"}, null], "d~": true}"#;

    #[test]
    fn pointers_name_the_innermost_value_or_member() {
        let index = JsonIndex::scan(TEXT).unwrap();
        let at = |s: &str| index.pointer_at(TEXT, TEXT.find(s).unwrap());
        assert_eq!(at("1,"), "/a/0");
        assert_eq!(at("\"x"), "/a/1/b~1c");
        assert_eq!(at("\"b/c"), "/a/1/b~1c", "a key is its member's");
        assert_eq!(at("null"), "/a/2");
        assert_eq!(at("true"), "/d~0");
        assert_eq!(index.pointer_at(TEXT, 0), "");
        assert_eq!(index.pointer_at(TEXT, TEXT.len()), "");
    }

    #[test]
    fn values_are_found_and_read() {
        let index = JsonIndex::scan(TEXT).unwrap();
        let root = index.root(TEXT);
        let b = root
            .get("a")
            .and_then(|a| a.at(1))
            .and_then(|o| o.get("b/c"));
        assert_eq!(b.and_then(|b| b.as_str()).as_deref(), Some("xA"));
        assert!(root.get("a").and_then(|a| a.at(2)).unwrap().is_null());
        assert!(root.get("z").is_none() && root.at(0).is_none());
        let Some(DeValue::Table(t)) = root.to_toml().map(Spanned::into_inner) else {
            panic!("an object is a table");
        };
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn what_is_not_json_is_not_indexed() {
        for bad in ["", "{", "[1,", "{\"a\" 1}", "tru", "\"open", "[1] 2"] {
            assert!(JsonIndex::scan(bad).is_none(), "{bad}");
        }
        let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
        assert!(JsonIndex::scan(&deep).is_none());
    }
}
