//! An external sort of byte records by byte key, so that building the graph
//! of a gigabyte corpus does not need the whole graph in memory.
//!
//! Records are buffered in one arena until a memory budget is passed; the
//! buffer is then sorted and written out as a *run*, and the buffer reused.
//! At the end the runs (and whatever is still buffered) are merged with a
//! heap into one stream in key order. A sorter that never passed its budget
//! never touches the disk.
//!
//! All runs of a sort share one temporary file, each a segment of it read
//! through its own buffer with positioned reads (and each merge pass writes
//! one more file). That keeps the number of open files at one or two
//! however many runs there are, where a file per run would meet the
//! process's descriptor limit on a large corpus with a small budget. The file is made in a directory the caller chooses (the
//! output directory, on the same disk as the outputs) and unlinked at once
//! on Unix: it takes no name in the directory, and a killed run leaves
//! nothing behind.
//!
//! A run is a sequence of records, each `varint(key length)`,
//! `varint(payload length)`, key bytes, payload bytes, with LEB128 varints.
//! The sorter remembers how many records and bytes each run holds, so a
//! file cut short or overwritten reads as an error of kind
//! [`io::ErrorKind::InvalidData`], never as a shorter stream or a panic.

use std::cmp::Ordering;
use std::collections::binary_heap::{BinaryHeap, PeekMut};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The most runs merged at once. Each input of a merge costs a read buffer
/// and a record buffer, and each record a heap sift of `log2(inputs)`
/// comparisons: 64 inputs hold 4 MiB of buffers, and a gigabyte corpus
/// under a budget of tens of megabytes merges in one pass.
const MAX_FAN_IN: usize = 64;

/// The read buffer of one run in a merge.
const READ_BUFFER: usize = 64 * 1024;

/// The write buffer of the temporary file.
const WRITE_BUFFER: usize = 1 << 20;

/// The prefix of a key kept beside each buffered record.
type Prefix = u64;
const PREFIX_LEN: usize = std::mem::size_of::<Prefix>();

/// What a buffered record costs besides its bytes, counted against the
/// budget.
const ENTRY_OVERHEAD: usize = std::mem::size_of::<Entry>();

/// Records (key bytes, payload bytes), returned in key order (bytewise, like
/// `[u8]::cmp`), records with equal keys in the order they were pushed.
pub struct RunSorter {
    /// Keys and payloads of the buffered records, back to back.
    arena: Vec<u8>,
    /// Where each buffered record lies in `arena`, in push order until
    /// sorted.
    entries: Vec<Entry>,
    /// `None` never spills.
    spill: Option<Spill>,
    /// Records pushed so far, spilled or not.
    len: u64,
}

/// The spilling half of a [`RunSorter`].
struct Spill {
    dir: PathBuf,
    budget: usize,
    /// Created at the first spill, so that a sort that fits in memory makes
    /// no file.
    out: Option<RunWriter>,
    /// The runs written to `out`, oldest (earliest pushed) first.
    runs: Vec<RunMeta>,
    /// At most this many runs are merged at once (a field so tests can force
    /// several passes with few records).
    fan_in: usize,
}

/// One buffered record: no allocation of its own.
#[derive(Clone, Copy, Debug)]
struct Entry {
    offset: usize,
    /// The key's first bytes: a sort reading the key from the arena for
    /// every comparison spends its time waiting on memory.
    prefix: Prefix,
    key_len: u32,
    payload_len: u32,
}

impl Entry {
    fn key<'a>(&self, arena: &'a [u8]) -> &'a [u8] {
        &arena[self.offset..self.offset + self.key_len as usize]
    }

    fn payload<'a>(&self, arena: &'a [u8]) -> &'a [u8] {
        let start = self.offset + self.key_len as usize;
        &arena[start..start + self.payload_len as usize]
    }
}

/// Where a run lies in its file and what it holds.
#[derive(Clone, Copy, Debug)]
struct RunMeta {
    start: u64,
    bytes: u64,
    records: u64,
}

impl RunSorter {
    /// Never spills: for small graphs and tests.
    pub fn in_memory() -> RunSorter {
        RunSorter {
            arena: Vec::new(),
            entries: Vec::new(),
            spill: None,
            len: 0,
        }
    }

    /// Spills a sorted run to a temporary file in `dir` whenever the buffered
    /// records pass `budget` bytes (key+payload+per-record overhead counted).
    ///
    /// The buffer's vectors grow by doubling, so the memory held may reach
    /// about twice `budget` before a spill; a record larger than `budget`
    /// makes a run of its own.
    pub fn spilling_in(dir: &Path, budget: usize) -> RunSorter {
        RunSorter {
            spill: Some(Spill {
                dir: dir.to_path_buf(),
                budget,
                out: None,
                runs: Vec::new(),
                fan_in: MAX_FAN_IN,
            }),
            ..RunSorter::in_memory()
        }
    }

    /// Add a record. Fails if the key or payload is 4 GiB or more, or if a
    /// spill cannot be written.
    pub fn push(&mut self, key: &[u8], payload: &[u8]) -> io::Result<()> {
        let (Ok(key_len), Ok(payload_len)) =
            (u32::try_from(key.len()), u32::try_from(payload.len()))
        else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "a sort record is too large ({} key bytes, {} payload bytes; at most {} each)",
                    key.len(),
                    payload.len(),
                    u32::MAX
                ),
            ));
        };
        let offset = self.arena.len();
        self.arena.extend_from_slice(key);
        self.arena.extend_from_slice(payload);
        self.entries.push(Entry {
            offset,
            prefix: key_prefix(key),
            key_len,
            payload_len,
        });
        self.len += 1;
        if let Some(spill) = &self.spill {
            if self.arena.len() + self.entries.len() * ENTRY_OVERHEAD > spill.budget {
                self.spill_buffer()?;
            }
        }
        Ok(())
    }

    /// Number of records pushed so far.
    pub fn count(&self) -> u64 {
        self.len
    }

    /// Sort what is buffered and merge it with the spilled runs into one
    /// stream.
    pub fn finish(mut self) -> io::Result<Sorted> {
        sort_entries(&self.arena, &mut self.entries);
        let spill = match self.spill.take() {
            Some(Spill {
                out: Some(out),
                runs,
                dir,
                fan_in,
                ..
            }) => (out, runs, dir, fan_in),
            // Nothing spilled: iterate the sorted buffer in place.
            _ => {
                return Ok(Sorted(Inner::Memory(Tail {
                    arena: self.arena,
                    entries: self.entries,
                    pos: 0,
                })))
            }
        };
        let (out, runs, dir, fan_in) = spill;
        let file = out.finish()?;
        let runs = runs
            .into_iter()
            .map(|meta| Run {
                file: Some(Arc::clone(&file)),
                meta,
            })
            .collect();
        drop(file);
        let tail = usize::from(!self.entries.is_empty());
        let runs = reduce_runs(runs, tail, fan_in, &dir)?;
        let mut sources: Vec<Source> = runs.iter().map(Source::run).collect();
        if tail == 1 {
            // The buffer holds the latest records, so it is the last run.
            sources.push(Source::Tail(Tail {
                arena: self.arena,
                entries: self.entries,
                pos: 0,
            }));
        }
        Ok(Sorted(Inner::Merge(Merger::new(sources)?)))
    }

    /// Write the buffered records as one sorted run and empty the buffer,
    /// keeping its capacity.
    /// Writes what is buffered as a run and gives the buffer's memory
    /// back: for a pause in pushing, while the memory serves something
    /// else. Does nothing to a sorter that never spills.
    pub fn release(&mut self) -> io::Result<()> {
        if self.spill.is_none() {
            return Ok(());
        }
        if !self.entries.is_empty() {
            self.spill_buffer()?;
        }
        self.arena = Vec::new();
        self.entries = Vec::new();
        Ok(())
    }

    fn spill_buffer(&mut self) -> io::Result<()> {
        let Some(spill) = &mut self.spill else {
            return Ok(());
        };
        sort_entries(&self.arena, &mut self.entries);
        let out = match &mut spill.out {
            Some(out) => out,
            None => spill.out.insert(RunWriter::create_in(&spill.dir)?),
        };
        let start = out.pos;
        for e in &self.entries {
            out.write_record(e.key(&self.arena), e.payload(&self.arena))?;
        }
        spill.runs.push(RunMeta {
            start,
            bytes: out.pos - start,
            records: self.entries.len() as u64,
        });
        self.arena.clear();
        self.entries.clear();
        Ok(())
    }
}

/// A run and the file that holds it (`None`: the file a merge pass is
/// still writing).
struct Run {
    file: Option<Arc<SpillFile>>,
    meta: RunMeta,
}

/// Merge runs into longer runs until the final merge takes at most `fan_in`
/// inputs, `tail` of them not runs.
///
/// Groups are consecutive runs, so the longer runs stay in push order and
/// equal keys keep it. A pass goes from the first run to the last, merging
/// groups of at most `fan_in`, each written once into the pass's file, and
/// stops as soon as few enough inputs remain: 65 runs cost a merge of two
/// runs, not a rewrite of all of them. A file is freed when its last run is
/// merged.
fn reduce_runs(mut runs: Vec<Run>, tail: usize, fan_in: usize, dir: &Path) -> io::Result<Vec<Run>> {
    let fan_in = fan_in.max(2);
    let mut out: Option<RunWriter> = None;
    let mut i = 0;
    while runs.len() + tail > fan_in {
        if i + 1 >= runs.len() {
            // The pass is over: the next reads what it wrote.
            seal(&mut runs, out.take())?;
            i = 0;
        }
        let excess = runs.len() + tail - fan_in;
        let group = fan_in.min(excess + 1).min(runs.len() - i);
        let writer = match &mut out {
            Some(w) => w,
            None => out.insert(RunWriter::create_in(dir)?),
        };
        let sources = runs[i..i + group].iter().map(Source::run).collect();
        let mut merger = Merger::new(sources)?;
        let start = writer.pos;
        let mut records = 0;
        while let Some((key, payload)) = merger.next()? {
            writer.write_record(key, payload)?;
            records += 1;
        }
        let meta = RunMeta {
            start,
            bytes: writer.pos - start,
            records,
        };
        runs.splice(i..i + group, [Run { file: None, meta }]);
        i += 1;
    }
    seal(&mut runs, out)?;
    Ok(runs)
}

/// Finish the file of a merge pass and point the runs written to it there.
fn seal(runs: &mut [Run], out: Option<RunWriter>) -> io::Result<()> {
    if let Some(out) = out {
        let file = out.finish()?;
        for run in runs.iter_mut().filter(|run| run.file.is_none()) {
            run.file = Some(Arc::clone(&file));
        }
    }
    Ok(())
}

/// Sort buffered records by key, equal keys in push order.
///
/// Offsets grow with push order, so breaking ties on them gives the stable
/// order with an unstable sort, which sorts in place: a stable sort would
/// allocate half the entries again, outside the budget (and measured
/// slower here). Most comparisons are settled by the keys' prefixes, held
/// in the entries, without reading the arena.
fn sort_entries(arena: &[u8], entries: &mut [Entry]) {
    entries.sort_unstable_by(|a, b| {
        a.prefix
            .cmp(&b.prefix)
            .then_with(|| a.key(arena).cmp(b.key(arena)))
            .then(a.offset.cmp(&b.offset))
    });
}

/// The first bytes of `key`, zero-padded, as a number that orders like the
/// keys: where two prefixes differ, the keys differ the same way (a key
/// shorter than the prefix pads with zeros, which sort first, as a key
/// sorts before its extensions). Equal prefixes say nothing.
fn key_prefix(key: &[u8]) -> Prefix {
    let mut bytes = [0u8; PREFIX_LEN];
    let n = key.len().min(PREFIX_LEN);
    bytes[..n].copy_from_slice(&key[..n]);
    Prefix::from_be_bytes(bytes)
}

/// The merged stream. A lending iterator: the slices live until the next
/// call.
pub struct Sorted(Inner);

enum Inner {
    /// Nothing was spilled.
    Memory(Tail),
    Merge(Merger),
}

impl Sorted {
    /// The next record as `(key, payload)`, or `None` at the end.
    // Not `Iterator::next`: the slices borrow the sorter's buffers, which
    // the following call refills.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> io::Result<Option<(&[u8], &[u8])>> {
        match &mut self.0 {
            Inner::Memory(tail) => Ok(tail.next()),
            Inner::Merge(merger) => merger.next(),
        }
    }
}

/// A k-way merge of sorted sources.
struct Merger {
    /// The current record of each source not yet exhausted; the top is the
    /// least, and the record last returned.
    heap: BinaryHeap<Head>,
    sources: Vec<Source>,
    /// Whether the top of the heap was returned and must be advanced.
    started: bool,
    /// Set by a read error: the heap may be out of order, so the stream
    /// must not go on as if complete.
    failed: bool,
}

/// The current record of one source. Its buffer is refilled in place as the
/// source advances, so the merge allocates only until each buffer has grown
/// to its source's largest record.
struct Head {
    /// Key then payload.
    buf: Vec<u8>,
    key_len: usize,
    /// Index of the source; earlier sources hold earlier records.
    source: usize,
}

impl Head {
    fn key(&self) -> &[u8] {
        &self.buf[..self.key_len]
    }
}

// `BinaryHeap` is a max-heap: order heads in reverse so the top is the least
// key, and among equal keys the earliest source.
impl Ord for Head {
    fn cmp(&self, other: &Head) -> Ordering {
        other
            .key()
            .cmp(self.key())
            .then(other.source.cmp(&self.source))
    }
}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Head) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Head {
    fn eq(&self, other: &Head) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Head {}

impl Merger {
    fn new(mut sources: Vec<Source>) -> io::Result<Merger> {
        let mut heap = BinaryHeap::with_capacity(sources.len());
        for (i, source) in sources.iter_mut().enumerate() {
            let mut head = Head {
                buf: Vec::new(),
                key_len: 0,
                source: i,
            };
            if source.read_into(&mut head)? {
                heap.push(head);
            }
        }
        Ok(Merger {
            heap,
            sources,
            started: false,
            failed: false,
        })
    }

    fn next(&mut self) -> io::Result<Option<(&[u8], &[u8])>> {
        if self.failed {
            return Err(io::Error::other(
                "the external sort cannot go on after an earlier read error",
            ));
        }
        if self.started {
            // Refill the top in place: one sift per record, no pop and push.
            if let Some(mut top) = self.heap.peek_mut() {
                match self.sources[top.source].read_into(&mut top) {
                    Ok(true) => {}
                    Ok(false) => {
                        PeekMut::pop(top);
                    }
                    Err(e) => {
                        self.failed = true;
                        return Err(e);
                    }
                }
            }
        }
        self.started = true;
        Ok(self.heap.peek().map(|top| top.buf.split_at(top.key_len)))
    }
}

/// One input of a merge.
enum Source {
    Run(RunReader),
    /// The records still buffered when the sort finished.
    Tail(Tail),
}

impl Source {
    /// A reader of a run whose file is sealed.
    fn run(run: &Run) -> Source {
        let file = run
            .file
            .as_ref()
            .expect("a merge reads only runs of finished passes");
        let run = run.meta;
        Source::Run(RunReader {
            reader: BufReader::with_capacity(
                READ_BUFFER,
                Segment {
                    file: Arc::clone(file),
                    pos: run.start,
                    end: run.start + run.bytes,
                },
            ),
            records_left: run.records,
            bytes_left: run.bytes,
        })
    }

    /// Replace `head`'s record with this source's next one; `false` at the
    /// end.
    fn read_into(&mut self, head: &mut Head) -> io::Result<bool> {
        match self {
            Source::Run(run) => run.read_into(head),
            Source::Tail(tail) => Ok(match tail.next() {
                Some((key, payload)) => {
                    head.buf.clear();
                    head.buf.extend_from_slice(key);
                    head.buf.extend_from_slice(payload);
                    head.key_len = key.len();
                    true
                }
                None => false,
            }),
        }
    }
}

/// Sorted buffered records, read in order.
struct Tail {
    arena: Vec<u8>,
    entries: Vec<Entry>,
    pos: usize,
}

impl Tail {
    fn next(&mut self) -> Option<(&[u8], &[u8])> {
        let e = *self.entries.get(self.pos)?;
        self.pos += 1;
        Some((e.key(&self.arena), e.payload(&self.arena)))
    }
}

/// Reads one run's records back, checking them against what was written.
struct RunReader {
    reader: BufReader<Segment>,
    records_left: u64,
    bytes_left: u64,
}

impl RunReader {
    fn read_into(&mut self, head: &mut Head) -> io::Result<bool> {
        if self.records_left == 0 {
            if self.bytes_left != 0 {
                return Err(
                    self.corrupt(format!("{} bytes after its last record", self.bytes_left))
                );
            }
            return Ok(false);
        }
        let key_len = self.read_len()?;
        let payload_len = self.read_len()?;
        let len = key_len
            .checked_add(payload_len)
            .filter(|&n| n <= self.bytes_left);
        let Some(len) = len else {
            return Err(self.corrupt(format!(
                "a record of {key_len}+{payload_len} bytes where {} remain",
                self.bytes_left
            )));
        };
        // Checked against the run's length just above, so this fits memory
        // already used by the sort.
        let len = len as usize;
        head.buf.resize(len, 0);
        self.reader
            .read_exact(&mut head.buf)
            .map_err(|e| self.read_error(e))?;
        head.key_len = key_len as usize;
        self.bytes_left -= len as u64;
        self.records_left -= 1;
        Ok(true)
    }

    /// A LEB128 varint of at most ten bytes.
    fn read_len(&mut self) -> io::Result<u64> {
        let mut value = 0u64;
        for i in 0..10 {
            if self.bytes_left == 0 {
                return Err(self.corrupt("a record cut short".to_string()));
            }
            let byte = match self.reader.fill_buf() {
                Ok([]) => return Err(self.corrupt("the file ends inside the run".to_string())),
                Ok(buf) => buf[0],
                Err(e) => return Err(self.read_error(e)),
            };
            self.reader.consume(1);
            self.bytes_left -= 1;
            // The tenth byte may only carry the top bit of a u64.
            if i == 9 && byte > 1 {
                break;
            }
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.corrupt("a length that overflows 64 bits".to_string()))
    }

    fn corrupt(&self, what: String) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "corrupt temporary sort file in {}: {what}",
                self.reader.get_ref().file.dir.display()
            ),
        )
    }

    fn read_error(&self, e: io::Error) -> io::Error {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            return self.corrupt("the file ends inside the run".to_string());
        }
        io::Error::new(
            e.kind(),
            format!(
                "cannot read a temporary file in {}: {e}",
                self.reader.get_ref().file.dir.display()
            ),
        )
    }
}

/// One run's bytes in the shared file, read with positioned reads so that
/// many segments can be read at once through one descriptor.
struct Segment {
    file: Arc<SpillFile>,
    pos: u64,
    end: u64,
}

impl Read for Segment {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = usize::try_from(self.end - self.pos).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        if want == 0 {
            return Ok(0);
        }
        let n = read_at(&self.file.file, &mut buf[..want], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// A finished temporary file, shared by the readers of its runs and freed
/// with the last of them.
struct SpillFile {
    file: File,
    /// For error messages.
    dir: PathBuf,
    _path: crate::scratch::TempPath,
}

/// Appends runs to a new temporary file.
struct RunWriter {
    out: BufWriter<File>,
    /// Bytes written so far.
    pos: u64,
    dir: PathBuf,
    path: crate::scratch::TempPath,
}

impl RunWriter {
    /// A new, empty temporary file in `dir`, unlinked at once where the
    /// system allows.
    fn create_in(dir: &Path) -> io::Result<RunWriter> {
        let (file, path) = crate::scratch::unlinked_file_in(dir, "runs")?;
        Ok(RunWriter {
            out: BufWriter::with_capacity(WRITE_BUFFER, file),
            pos: 0,
            dir: dir.to_path_buf(),
            path,
        })
    }

    fn write_record(&mut self, key: &[u8], payload: &[u8]) -> io::Result<()> {
        let mut lens = [0u8; 20];
        let mut n = encode_varint(key.len() as u64, &mut lens);
        n += encode_varint(payload.len() as u64, &mut lens[n..]);
        self.write(&lens[..n])?;
        self.write(key)?;
        self.write(payload)
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes).map_err(|e| self.write_error(e))?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    fn write_error(&self, e: io::Error) -> io::Error {
        io::Error::new(
            e.kind(),
            format!(
                "cannot write a temporary file in {}: {e}",
                self.dir.display()
            ),
        )
    }

    /// Flush, and hand the file to its readers.
    fn finish(self) -> io::Result<Arc<SpillFile>> {
        let dir = self.dir;
        let file = self.out.into_inner().map_err(|e| {
            let e = e.into_error();
            io::Error::new(
                e.kind(),
                format!("cannot write a temporary file in {}: {e}", dir.display()),
            )
        })?;
        Ok(Arc::new(SpillFile {
            file,
            dir,
            _path: self.path,
        }))
    }
}

/// LEB128: seven bits a byte, least significant first, the top bit set on
/// all bytes but the last. Returns the bytes used (at most ten).
fn encode_varint(mut value: u64, out: &mut [u8]) -> usize {
    let mut i = 0;
    while value >= 0x80 {
        out[i] = (value as u8) | 0x80;
        value >>= 7;
        i += 1;
    }
    out[i] = value as u8;
    i + 1
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SplitMix64: deterministic, no dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }

        /// Bytes from a small alphabet, so keys share prefixes and repeat.
        fn bytes(&mut self, max_len: u64, alphabet: u8) -> Vec<u8> {
            let len = self.below(max_len + 1);
            (0..len)
                .map(|_| b'a' + self.below(u64::from(alphabet)) as u8)
                .collect()
        }
    }

    type Record = (Vec<u8>, Vec<u8>);

    /// Records whose keys often repeat, each payload naming its push index
    /// so that a change of order among equal keys shows.
    fn random_records(seed: u64, n: usize) -> Vec<Record> {
        let mut rng = Rng(seed);
        (0..n)
            .map(|i| {
                let key = rng.bytes(6, 3);
                let mut payload = format!("{i}:").into_bytes();
                payload.extend(rng.bytes(40, 26));
                (key, payload)
            })
            .collect()
    }

    fn push_all(sorter: &mut RunSorter, records: &[Record]) {
        for (k, p) in records {
            sorter.push(k, p).unwrap();
        }
    }

    fn drain(sorted: &mut Sorted) -> Vec<Record> {
        let mut out = Vec::new();
        while let Some((k, p)) = sorted.next().unwrap() {
            out.push((k.to_vec(), p.to_vec()));
        }
        out
    }

    fn stable_sorted(records: &[Record]) -> Vec<Record> {
        let mut v = records.to_vec();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    fn spilled_runs(sorter: &RunSorter) -> usize {
        sorter.spill.as_ref().map_or(0, |s| s.runs.len())
    }

    /// How many inputs the last merge reads.
    fn final_fan_in(sorted: &Sorted) -> usize {
        match &sorted.0 {
            Inner::Memory(_) => 1,
            Inner::Merge(m) => m.sources.len(),
        }
    }

    fn dir_entries(dir: &Path) -> usize {
        std::fs::read_dir(dir).unwrap().count()
    }

    #[test]
    fn random_records_with_a_tiny_budget_sort_like_a_stable_sort() {
        let records = random_records(1, 4000);
        let dir = tempfile::tempdir().unwrap();
        let mut sorter = RunSorter::spilling_in(dir.path(), 300);
        push_all(&mut sorter, &records);
        // More runs than the fan-in: the merge must go through a first pass.
        assert!(
            spilled_runs(&sorter) > MAX_FAN_IN,
            "{} runs",
            spilled_runs(&sorter)
        );
        assert_eq!(sorter.count(), 4000);
        let mut sorted = sorter.finish().unwrap();
        // Merging stops as soon as the last merge can take every input.
        assert_eq!(final_fan_in(&sorted), MAX_FAN_IN);
        let got = drain(&mut sorted);
        assert_eq!(got, stable_sorted(&records));
    }

    #[test]
    fn a_small_fan_in_merges_in_several_passes() {
        for (seed, fan_in) in [(2, 2), (3, 3), (4, 5)] {
            let records = random_records(seed, 1500);
            let dir = tempfile::tempdir().unwrap();
            let mut sorter = RunSorter::spilling_in(dir.path(), 200);
            sorter.spill.as_mut().unwrap().fan_in = fan_in;
            push_all(&mut sorter, &records);
            // Enough runs that one pass of merges leaves too many.
            assert!(
                spilled_runs(&sorter) > fan_in * fan_in,
                "{} runs",
                spilled_runs(&sorter)
            );
            let mut sorted = sorter.finish().unwrap();
            assert_eq!(final_fan_in(&sorted), fan_in);
            let got = drain(&mut sorted);
            assert_eq!(got, stable_sorted(&records), "fan-in {fan_in}");
        }
    }

    #[test]
    fn a_few_runs_over_the_fan_in_cost_a_small_merge() {
        let dir = tempfile::tempdir().unwrap();
        let mut sorter = RunSorter::spilling_in(dir.path(), 0);
        // 66 runs of one record, then one record left in the buffer.
        for i in 0..66u32 {
            sorter.push(&(1000 - i).to_be_bytes(), b"run").unwrap();
        }
        sorter.spill.as_mut().unwrap().budget = usize::MAX;
        sorter.push(b"", b"tail").unwrap();
        let mut sorted = sorter.finish().unwrap();
        let Inner::Merge(merger) = &sorted.0 else {
            panic!("spilled runs must be merged");
        };
        // 67 inputs, 64 allowed: the first four runs merged into one, the
        // others left alone. (Each run's first record is already read.)
        let records: Vec<u64> = merger
            .sources
            .iter()
            .map(|s| match s {
                Source::Run(r) => r.records_left + 1,
                Source::Tail(t) => t.entries.len() as u64,
            })
            .collect();
        assert_eq!(records.len(), MAX_FAN_IN);
        assert_eq!(
            records[..2],
            [4, 1],
            "first the merged run, the others as they were"
        );
        let got = drain(&mut sorted);
        assert_eq!(got.len(), 67);
        assert_eq!(got[0].1, b"tail");
        assert!(got.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn in_memory_equals_spilled() {
        let records = random_records(5, 2000);
        let mut memory = RunSorter::in_memory();
        push_all(&mut memory, &records);
        assert_eq!(spilled_runs(&memory), 0);
        let dir = tempfile::tempdir().unwrap();
        let mut spilled = RunSorter::spilling_in(dir.path(), 4096);
        push_all(&mut spilled, &records);
        assert!(spilled_runs(&spilled) > 1);
        let (a, b) = (
            drain(&mut memory.finish().unwrap()),
            drain(&mut spilled.finish().unwrap()),
        );
        assert_eq!(a.len(), 2000);
        assert_eq!(a, b);
    }

    #[test]
    fn a_budget_never_passed_makes_no_file() {
        let records = random_records(6, 50);
        let dir = tempfile::tempdir().unwrap();
        let mut sorter = RunSorter::spilling_in(dir.path(), 1 << 20);
        push_all(&mut sorter, &records);
        assert_eq!(spilled_runs(&sorter), 0);
        let mut sorted = sorter.finish().unwrap();
        assert!(matches!(sorted.0, Inner::Memory(_)));
        assert_eq!(drain(&mut sorted), stable_sorted(&records));
    }

    #[test]
    fn temporary_files_are_unlinked_at_once() {
        let records = random_records(7, 3000);
        let dir = tempfile::tempdir().unwrap();
        let mut sorter = RunSorter::spilling_in(dir.path(), 256);
        push_all(&mut sorter, &records);
        assert!(spilled_runs(&sorter) > MAX_FAN_IN);
        assert_eq!(dir_entries(dir.path()), 0, "after spilling");
        let mut sorted = sorter.finish().unwrap();
        assert_eq!(dir_entries(dir.path()), 0, "after the first merge pass");
        let got = drain(&mut sorted);
        assert_eq!(got.len(), 3000);
        drop(sorted);
        assert_eq!(dir_entries(dir.path()), 0, "after the merge");
    }

    #[test]
    fn release_spills_and_frees_and_pushing_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let mut sorter = RunSorter::spilling_in(dir.path(), 1 << 20);
        sorter.push(b"b", b"2").unwrap();
        sorter.push(b"a", b"1").unwrap();
        sorter.release().unwrap();
        assert_eq!(spilled_runs(&sorter), 1);
        assert_eq!(sorter.arena.capacity(), 0);
        sorter.push(b"a", b"3").unwrap();
        let mut sorted = sorter.finish().unwrap();
        let mut got = Vec::new();
        while let Some((k, p)) = sorted.next().unwrap() {
            got.push((k.to_vec(), p.to_vec()));
        }
        let want: Vec<(Vec<u8>, Vec<u8>)> = vec![
            (b"a".to_vec(), b"1".to_vec()),
            (b"a".to_vec(), b"3".to_vec()),
            (b"b".to_vec(), b"2".to_vec()),
        ];
        assert_eq!(got, want);
        let mut memory = RunSorter::in_memory();
        memory.push(b"x", b"").unwrap();
        memory.release().unwrap();
        assert_eq!(memory.count(), 1);
        assert_eq!(spilled_runs(&memory), 0);
    }

    #[test]
    fn an_empty_sorter_yields_nothing() {
        let dir = tempfile::tempdir().unwrap();
        for sorter in [
            RunSorter::in_memory(),
            RunSorter::spilling_in(dir.path(), 0),
        ] {
            assert_eq!(sorter.count(), 0);
            let mut sorted = sorter.finish().unwrap();
            assert!(sorted.next().unwrap().is_none());
            assert!(sorted.next().unwrap().is_none(), "stays at the end");
        }
        assert_eq!(dir_entries(dir.path()), 0);
    }

    #[test]
    fn equal_keys_keep_push_order_across_runs() {
        let dir = tempfile::tempdir().unwrap();
        // A budget of 0 spills every record as its own run, so each tie is
        // decided by the merge, not by the in-memory sort. With the budget
        // lifted, the last record stays in the buffer, the merge's last
        // input, and must come after its equal in the runs.
        let mut sorter = RunSorter::spilling_in(dir.path(), 0);
        let mut expected = Vec::new();
        for i in 0..200u32 {
            let key: &[u8] = if i % 3 == 0 { "上海市" } else { "江苏省" }.as_bytes();
            sorter.push(key, &i.to_be_bytes()).unwrap();
            expected.push((key.to_vec(), i.to_be_bytes().to_vec()));
        }
        sorter.push(b"z", b"in the buffer").unwrap();
        sorter.spill.as_mut().unwrap().budget = usize::MAX;
        sorter.push(b"z", b"last").unwrap();
        expected.push((b"z".to_vec(), b"in the buffer".to_vec()));
        expected.push((b"z".to_vec(), b"last".to_vec()));
        assert_eq!(spilled_runs(&sorter), 201);
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(drain(&mut sorter.finish().unwrap()), expected);
    }

    #[test]
    fn empty_and_large_records_round_trip() {
        let mut rng = Rng(8);
        let big_payload: Vec<u8> = (0..200_000).map(|_| rng.next() as u8).collect();
        let big_key: Vec<u8> = (0..70_000).map(|_| rng.next() as u8).collect();
        let records: Vec<Record> = vec![
            (b"m".to_vec(), big_payload.clone()),
            (Vec::new(), Vec::new()),
            (b"a".to_vec(), Vec::new()),
            (Vec::new(), b"empty key".to_vec()),
            (big_key.clone(), b"big key".to_vec()),
            (vec![0xff; 3], big_payload),
            (vec![0x00], vec![0x80; 300]),
        ];
        let expected = stable_sorted(&records);
        assert_eq!(expected[0], (Vec::new(), Vec::new()));
        let dir = tempfile::tempdir().unwrap();
        for budget in [0, 100, 1 << 30] {
            let mut sorter = RunSorter::spilling_in(dir.path(), budget);
            push_all(&mut sorter, &records);
            assert_eq!(
                drain(&mut sorter.finish().unwrap()),
                expected,
                "budget {budget}"
            );
        }
        let mut sorter = RunSorter::in_memory();
        push_all(&mut sorter, &records);
        assert_eq!(drain(&mut sorter.finish().unwrap()), expected);
    }

    /// A sorter that spilled `n` small runs, its file flushed so a test can
    /// damage it.
    fn spilled_sorter(dir: &Path, n: usize) -> RunSorter {
        let mut sorter = RunSorter::spilling_in(dir, 0);
        for i in 0..n {
            sorter
                .push(format!("key{i}").as_bytes(), b"payload bytes")
                .unwrap();
        }
        let spill = sorter.spill.as_mut().unwrap();
        assert_eq!(spill.runs.len(), n);
        spill.out.as_mut().unwrap().out.flush().unwrap();
        sorter
    }

    fn spill_file(sorter: &RunSorter) -> &File {
        sorter
            .spill
            .as_ref()
            .unwrap()
            .out
            .as_ref()
            .unwrap()
            .out
            .get_ref()
    }

    /// Finish and drain, returning the first error.
    fn sort_error(sorter: RunSorter) -> io::Error {
        let mut sorted = match sorter.finish() {
            Ok(sorted) => sorted,
            Err(e) => return e,
        };
        loop {
            match sorted.next() {
                Ok(Some(_)) => {}
                Ok(None) => panic!("a damaged run read as a complete stream"),
                Err(e) => {
                    assert!(sorted.next().is_err(), "the merge went on after an error");
                    return e;
                }
            }
        }
    }

    #[test]
    fn a_truncated_run_is_invalid_data() {
        let dir = tempfile::tempdir().unwrap();
        for cut in [1, 5, 30] {
            let sorter = spilled_sorter(dir.path(), 4);
            let file = spill_file(&sorter);
            let len = file.metadata().unwrap().len();
            file.set_len(len - cut).unwrap();
            let e = sort_error(sorter);
            assert_eq!(e.kind(), io::ErrorKind::InvalidData, "cut {cut}: {e}");
            assert!(
                e.to_string().contains(&dir.path().display().to_string()),
                "{e}"
            );
        }
    }

    #[test]
    #[cfg(unix)]
    fn a_corrupt_run_is_invalid_data() {
        use std::os::unix::fs::FileExt;
        let dir = tempfile::tempdir().unwrap();
        // A length overwritten: a varint that never ends, a key longer than
        // the run, a key longer than memory (2^63), a key shorter than
        // written (trailing bytes).
        let mut huge = [0u8; 10];
        let n = encode_varint(1 << 63, &mut huge);
        let cases = [
            (0, vec![0xff; 12]),
            (0, vec![0x7f]),
            (0, huge[..n].to_vec()),
            (0, vec![0x01]),
        ];
        for (at, bytes) in cases {
            let sorter = spilled_sorter(dir.path(), 3);
            spill_file(&sorter).write_all_at(&bytes, at).unwrap();
            let e = sort_error(sorter);
            assert_eq!(e.kind(), io::ErrorKind::InvalidData, "{bytes:?}: {e}");
        }
    }

    #[test]
    fn an_unwritable_directory_is_an_error_naming_it() {
        let mut sorter = RunSorter::spilling_in(Path::new("/nonexistent/policygraph"), 10);
        let e = sorter.push(b"a key", b"a payload").unwrap_err();
        assert!(e.to_string().contains("/nonexistent/policygraph"), "{e}");
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn varints_round_trip_at_their_limits() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = RunWriter::create_in(dir.path()).unwrap();
        let values = [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ];
        let mut buf = [0u8; 10];
        for v in values {
            let n = encode_varint(v, &mut buf);
            w.write(&buf[..n]).unwrap();
        }
        let bytes = w.pos;
        let file = w.finish().unwrap();
        let mut r = RunReader {
            reader: BufReader::new(Segment {
                file,
                pos: 0,
                end: bytes,
            }),
            records_left: 0,
            bytes_left: bytes,
        };
        for v in values {
            assert_eq!(r.read_len().unwrap(), v);
        }
        assert_eq!(r.bytes_left, 0);
    }

    #[test]
    fn a_varint_past_64_bits_is_invalid_data() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = RunWriter::create_in(dir.path()).unwrap();
        // Ten bytes whose last carries more than the 64th bit.
        w.write(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02])
            .unwrap();
        let file = w.finish().unwrap();
        let mut r = RunReader {
            reader: BufReader::new(Segment {
                file,
                pos: 0,
                end: 10,
            }),
            records_left: 1,
            bytes_left: 10,
        };
        assert_eq!(r.read_len().unwrap_err().kind(), io::ErrorKind::InvalidData);
    }

    /// Throughput of a spilling sort, for the report:
    /// `cargo test --release --lib graph::runs::tests::throughput -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn throughput() {
        let mut rng = Rng(9);
        let n = 2_000_000;
        // Keys shaped like the graph's (`codec::node_key`, `edge_key`):
        // node or edge, kind, entity keys that share prefixes (region
        // codes, names starting with a province), a sequence number.
        let provinces = ["上海市", "江苏省", "浙江省", "广东省", "北京市", "四川省"];
        let chars: Vec<char> = "科技创新券人才工程专项资金补贴产业发展计划"
            .chars()
            .collect();
        let entity = |rng: &mut Rng| -> String {
            if rng.below(2) == 0 {
                format!("{}", 110_000 + rng.below(3000) * 100)
            } else {
                let mut s = provinces[rng.below(6) as usize].to_string();
                s.extend(
                    (0..2 + rng.below(6)).map(|_| chars[rng.below(chars.len() as u64) as usize]),
                );
                s
            }
        };
        let records: Vec<Record> = (0..n as u64)
            .map(|seq| {
                let edge = rng.below(3) == 0;
                let mut key = vec![u8::from(edge), rng.below(12) as u8];
                key.extend(entity(&mut rng).as_bytes());
                key.extend([0, 1]);
                if edge {
                    key.extend(entity(&mut rng).as_bytes());
                    key.extend([0, 1]);
                }
                key.extend(seq.to_be_bytes());
                let payload = vec![b'p'; 40 + rng.below(80) as usize];
                (key, payload)
            })
            .collect();
        let bytes: usize = records.iter().map(|(k, p)| k.len() + p.len()).sum();
        // The reference in the same process: a stable sort of the records
        // as owned vectors, cloned (one allocation per key and payload, as
        // a naive builder would make).
        let start = std::time::Instant::now();
        let mut reference = records.clone();
        reference.sort_by(|a, b| a.0.cmp(&b.0));
        let secs = start.elapsed().as_secs_f64();
        eprintln!(
            "Vec::sort_by: {secs:.2}s = {:.0} MB/s",
            bytes as f64 / 1e6 / secs
        );
        drop(reference);
        let dir = tempfile::tempdir().unwrap();
        for (name, budget) in [
            ("memory", None),
            ("64 MiB", Some(64 << 20)),
            ("4 MiB", Some(4 << 20)),
            ("64 KiB", Some(64 << 10)),
        ] {
            let start = std::time::Instant::now();
            let mut sorter = match budget {
                None => RunSorter::in_memory(),
                Some(b) => RunSorter::spilling_in(dir.path(), b),
            };
            push_all(&mut sorter, &records);
            let pushed = start.elapsed().as_secs_f64();
            let runs = spilled_runs(&sorter);
            let mut sorted = sorter.finish().unwrap();
            let finished = start.elapsed().as_secs_f64();
            let mut count = 0;
            let mut last = Vec::new();
            while let Some((k, _)) = sorted.next().unwrap() {
                assert!(last.as_slice() <= k);
                last.clear();
                last.extend_from_slice(k);
                count += 1;
            }
            assert_eq!(count, n);
            let secs = start.elapsed().as_secs_f64();
            eprintln!(
                "{name}: {runs} runs, {:.0} MB in {secs:.2}s (push {pushed:.2}s, finish {:.2}s) = {:.0} MB/s",
                bytes as f64 / 1e6,
                finished - pushed,
                bytes as f64 / 1e6 / secs
            );
        }
    }
}
