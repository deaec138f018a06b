//! candump log files (`candump -l` format): reading, writing, and replaying one as a bus.
//!
//! A line is `(seconds.micros) interface frame`, the frame in can-utils' spelling:
//! `123#DEADBEEF` (classical), `123#R` or `123#R4` (remote), `12345678##1AABB` (CAN FD with its
//! flags nibble), `123#1122334455667788_D` (classical with a raw DLC above 8).
//!
//! The parser is written here rather than taken from `socketcan::dump`: that one reports only
//! "invalid CAN frame" without the line or why, rejects the `_dlc` form, and allocates per
//! frame, while cockpit must name the file, line and fault of every bad line and decode logs at
//! hundreds of thousands of frames a second. can-utils itself (`log2long`, `canplayer`) checks
//! what this module writes, in the tests.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

use async_trait::async_trait;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::{CanTransport, TimedFrame, TransportError, now_us};
use crate::frame::{CanFrame, CanId, is_valid_fd_length};

/// Lines longer than this are corrupt (a real line is under 200 bytes); the cap keeps a binary
/// file from being read into memory as one "line".
const MAX_LINE: usize = 64 * 1024;

/// The SocketCAN flag that marks an error frame in an eight-digit id.
const CAN_ERR_FLAG: u32 = 0x2000_0000;

/// One line of a candump log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRecord {
    /// Microseconds, as the log counts them (Unix time for `candump -l`).
    pub timestamp_us: u64,
    /// The interface the frame was seen on.
    pub interface: String,
    /// The frame.
    pub frame: CanFrame,
}

impl fmt::Display for LogRecord {
    /// The line as `candump -l` writes it, without the newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "({}.{:06}) {} {}",
            self.timestamp_us / 1_000_000,
            self.timestamp_us % 1_000_000,
            self.interface,
            self.frame
        )
    }
}

/// A line of a log that could not be read; the reader reports it and goes on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}: {text:?}")]
pub struct LogLineError {
    /// The log's name.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// The start of the line as read.
    pub text: String,
    /// What is wrong with it.
    pub reason: String,
}

/// Parses one log line (without its newline).
pub fn parse_line(line: &str) -> Result<LogRecord, String> {
    let line = line.trim_end_matches(['\r', '\n']);
    if let Some(record) = parse_common_line(line.as_bytes()) {
        return Ok(record);
    }
    parse_any_line(line)
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The line nearly every log consists of, `(seconds.micros) iface ID#HEX` with a classical
/// data frame, in one pass over its bytes. Anything else (other frame forms, a direction
/// field, any error) returns `None` for [`parse_any_line`], which also writes the error
/// messages; so this function need not explain anything, only be exact where it answers.
fn parse_common_line(line: &[u8]) -> Option<LogRecord> {
    let mut i = 0;
    let next = |i: &mut usize| {
        let c = line.get(*i).copied();
        *i += 1;
        c
    };
    if next(&mut i)? != b'(' {
        return None;
    }
    let mut seconds: u64 = 0;
    let mut digits = 0;
    let mut c = next(&mut i)?;
    while c.is_ascii_digit() {
        seconds = seconds.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
        digits += 1;
        c = next(&mut i)?;
    }
    if digits == 0 || c != b'.' {
        return None;
    }
    let mut micros: u64 = 0;
    for _ in 0..6 {
        let c = next(&mut i)?;
        if !c.is_ascii_digit() {
            return None;
        }
        micros = micros * 10 + u64::from(c - b'0');
    }
    if next(&mut i)? != b')' || next(&mut i)? != b' ' {
        return None;
    }
    let interface_start = i;
    while *line.get(i)? != b' ' {
        // Interface names are printable; anything else goes to the careful parser.
        if !line[i].is_ascii_graphic() {
            return None;
        }
        i += 1;
    }
    let interface = std::str::from_utf8(&line[interface_start..i]).ok()?;
    if interface.is_empty() {
        return None;
    }
    i += 1;
    let id_start = i;
    let mut id: u32 = 0;
    loop {
        let c = *line.get(i)?;
        if c == b'#' {
            break;
        }
        id = (id << 4) | u32::from(hex_value(c)?);
        i += 1;
        if i - id_start > 8 {
            return None;
        }
    }
    let id = match i - id_start {
        3 if id <= 0x7FF => CanId::Standard(id as u16),
        8 if id & CAN_ERR_FLAG == 0 && id <= 0x1FFF_FFFF => CanId::Extended(id),
        _ => return None,
    };
    i += 1;
    let rest = &line[i..];
    if rest.len() % 2 != 0 || rest.len() > 16 {
        return None;
    }
    let mut data = [0u8; 8];
    for (k, pair) in rest.chunks_exact(2).enumerate() {
        data[k] = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
    }
    Some(LogRecord {
        timestamp_us: seconds.checked_mul(1_000_000)?.checked_add(micros)?,
        interface: interface.to_owned(),
        frame: CanFrame::classic(id, &data[..rest.len() / 2]).ok()?,
    })
}

/// Parses any line candump writes or cansend takes, with an error that says what is wrong.
fn parse_any_line(line: &str) -> Result<LogRecord, String> {
    let mut fields = line.split_ascii_whitespace();
    let (Some(time), Some(interface), Some(frame)) = (fields.next(), fields.next(), fields.next())
    else {
        return Err("expected \"(seconds.micros) interface frame\"".into());
    };
    let timestamp_us = parse_timestamp(time)?;
    let frame = parse_frame(frame)?;
    // candump -x adds the direction; anything more is not candump.
    match fields.next() {
        None | Some("R" | "T" | "r" | "t") => {}
        Some(other) => return Err(format!("unexpected field {other:?} after the frame")),
    }
    if fields.next().is_some() {
        return Err("too many fields".into());
    }
    Ok(LogRecord {
        timestamp_us,
        interface: interface.to_owned(),
        frame,
    })
}

fn parse_timestamp(field: &str) -> Result<u64, String> {
    let bad = || format!("timestamp {field:?} is not (seconds.micros)");
    let inner = field
        .strip_prefix('(')
        .and_then(|f| f.strip_suffix(')'))
        .ok_or_else(bad)?;
    let (seconds, fraction) = inner.split_once('.').ok_or_else(bad)?;
    if seconds.is_empty()
        || fraction.is_empty()
        || fraction.len() > 9
        || !seconds.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let seconds: u64 = seconds.parse().map_err(|_| bad())?;
    let mut micros: u64 = fraction.parse().map_err(|_| bad())?;
    // Scale the fraction to six digits: ".5" is 500000 µs, ".123456789" is 123456 µs.
    for _ in fraction.len()..6 {
        micros *= 10;
    }
    for _ in 6..fraction.len() {
        micros /= 10;
    }
    seconds
        .checked_mul(1_000_000)
        .and_then(|us| us.checked_add(micros))
        .ok_or_else(bad)
}

fn parse_frame(field: &str) -> Result<CanFrame, String> {
    let (id_text, rest) = field
        .split_once('#')
        .ok_or_else(|| format!("frame {field:?} has no '#' between id and data"))?;
    let raw = u32::from_str_radix(id_text, 16)
        .ok()
        .filter(|_| id_text.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| format!("id {id_text:?} is not hexadecimal"))?;
    let id = match id_text.len() {
        3 => CanId::standard(raw as u16)
            .filter(|_| raw <= 0x7FF)
            .ok_or_else(|| format!("standard id {id_text} is above 7FF"))?,
        8 if raw & CAN_ERR_FLAG != 0 => {
            let mut data = [0u8; 8];
            let bytes = parse_hex(rest)?;
            let n = bytes.len.min(8);
            data[..n].copy_from_slice(&bytes.as_slice()[..n]);
            return Ok(CanFrame::error(raw & !CAN_ERR_FLAG, data));
        }
        8 => CanId::extended(raw)
            .ok_or_else(|| format!("extended id {id_text} is above 1FFFFFFF"))?,
        n => {
            return Err(format!(
                "id {id_text:?} has {n} digits; standard ids have 3, extended 8"
            ));
        }
    };
    if let Some(fd) = rest.strip_prefix('#') {
        let mut chars = fd.chars();
        let flags = chars
            .next()
            .and_then(|c| c.to_digit(16))
            .ok_or_else(|| "a CAN FD frame needs a flags digit after \"##\"".to_owned())?;
        let data = parse_hex(chars.as_str())?;
        if !is_valid_fd_length(data.len) {
            return Err(format!("{} bytes is not a CAN FD length", data.len));
        }
        return CanFrame::fd(id, data.as_slice(), flags & 1 != 0, flags & 2 != 0)
            .map_err(|e| e.to_string());
    }
    if let Some(remote) = rest.strip_prefix(['R', 'r']) {
        let dlc = match remote {
            "" => 0,
            digit => u8::from_str_radix(digit, 16)
                .ok()
                .filter(|_| digit.len() == 1)
                .ok_or_else(|| format!("remote frame length {digit:?} is not one hex digit"))?,
        };
        return CanFrame::remote(id, dlc).map_err(|e| e.to_string());
    }
    // A raw DLC of 9..15 after '_' says the sender's DLC field was above 8; the payload is
    // still the 8 bytes, which is all a decoder needs.
    let data_text = match rest.split_once('_') {
        Some((data, dlc)) if dlc.len() == 1 && dlc.chars().all(|c| c.is_ascii_hexdigit()) => data,
        Some(_) => return Err("the raw DLC after '_' must be one hex digit".into()),
        None => rest,
    };
    let data = parse_hex(data_text)?;
    CanFrame::classic(id, data.as_slice()).map_err(|e| e.to_string())
}

/// Hex bytes, with the dots cansend allows between them (`11.22.33`), into a fixed buffer:
/// this runs once per log line, and allocating here was most of the cost of reading a log.
struct Payload {
    bytes: [u8; 64],
    len: usize,
}

impl Payload {
    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

fn parse_hex(text: &str) -> Result<Payload, String> {
    let mut payload = Payload {
        bytes: [0; 64],
        len: 0,
    };
    let mut high: Option<u8> = None;
    for c in text.bytes() {
        if c == b'.' && high.is_none() {
            continue;
        }
        let nibble = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => return Err(format!("data {text:?} is not hexadecimal")),
        };
        match high.take() {
            None => high = Some(nibble),
            Some(h) => {
                if payload.len == payload.bytes.len() {
                    return Err(format!("data {text:?} is longer than 64 bytes"));
                }
                payload.bytes[payload.len] = (h << 4) | nibble;
                payload.len += 1;
            }
        }
    }
    if high.is_some() {
        return Err(format!("data {text:?} has an odd number of hex digits"));
    }
    Ok(payload)
}

/// Reads a candump log record by record. A bad line comes out as an `Err` and reading goes
/// on with the next line; an I/O error ends the log.
pub struct LogReader<R> {
    reader: R,
    name: String,
    line: usize,
    buf: Vec<u8>,
    finished: bool,
}

impl LogReader<BufReader<File>> {
    /// Opens a log file.
    pub fn open(path: &Path) -> io::Result<LogReader<BufReader<File>>> {
        let file = File::open(path)?;
        Ok(LogReader::new(
            BufReader::new(file),
            &path.display().to_string(),
        ))
    }
}

impl<R: BufRead> LogReader<R> {
    /// Reads a log from `reader`; `name` names it in errors.
    pub fn new(reader: R, name: &str) -> LogReader<R> {
        LogReader {
            reader,
            name: name.to_owned(),
            line: 0,
            buf: Vec::with_capacity(128),
            finished: false,
        }
    }

    /// The log's name, as errors give it.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn error(&self, reason: String) -> LogLineError {
        let text = String::from_utf8_lossy(&self.buf);
        let text = text.trim_end();
        let mut cut = text.len().min(80);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        LogLineError {
            file: self.name.clone(),
            line: self.line,
            text: text[..cut].to_owned(),
            reason,
        }
    }

    /// Reads the next physical line into `buf`; `Ok(false)` at the end of the file.
    fn read_line(&mut self) -> io::Result<Result<bool, String>> {
        self.buf.clear();
        let n = (&mut self.reader)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut self.buf)?;
        if n == 0 {
            return Ok(Ok(false));
        }
        self.line += 1;
        if n == MAX_LINE && self.buf.last() != Some(&b'\n') {
            // Skip the rest of the over-long line, keeping only its start for the message.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                let m = (&mut self.reader)
                    .take(MAX_LINE as u64)
                    .read_until(b'\n', &mut rest)?;
                if m == 0 || rest.last() == Some(&b'\n') {
                    break;
                }
            }
            self.buf.truncate(80);
            return Ok(Err(format!("line is longer than {MAX_LINE} bytes")));
        }
        Ok(Ok(true))
    }
}

impl<R: BufRead> Iterator for LogReader<R> {
    type Item = Result<LogRecord, LogLineError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.finished {
            match self.read_line() {
                Err(e) => {
                    self.finished = true;
                    return Some(Err(
                        self.error(format!("read error, the rest of the log is lost: {e}"))
                    ));
                }
                Ok(Ok(false)) => self.finished = true,
                Ok(Err(reason)) => return Some(Err(self.error(reason))),
                Ok(Ok(true)) => {
                    let Ok(text) = std::str::from_utf8(&self.buf) else {
                        return Some(Err(self.error("not text (invalid UTF-8)".into())));
                    };
                    if text.trim().is_empty() {
                        continue;
                    }
                    return Some(parse_line(text).map_err(|reason| self.error(reason)));
                }
            }
        }
        None
    }
}

/// Writes a candump log, one line per frame, as `candump -l` does.
pub struct LogWriter<W: Write> {
    out: W,
}

impl LogWriter<io::BufWriter<File>> {
    /// Creates (or truncates) a log file.
    pub fn create(path: &Path) -> io::Result<LogWriter<io::BufWriter<File>>> {
        Ok(LogWriter::new(io::BufWriter::new(File::create(path)?)))
    }
}

impl<W: Write> LogWriter<W> {
    /// Writes to `out`.
    pub fn new(out: W) -> LogWriter<W> {
        LogWriter { out }
    }

    /// Appends one record.
    pub fn write(&mut self, record: &LogRecord) -> io::Result<()> {
        writeln!(self.out, "{record}")
    }

    /// Flushes buffered lines.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// The writer back.
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// How fast a log is replayed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pacing {
    /// With the gaps between frames as recorded, divided by this factor (1.0 = as recorded,
    /// 2.0 = twice as fast).
    Factor(f64),
    /// Every frame at once, as fast as the receiver takes them.
    AsFastAsPossible,
}

struct Playback {
    reader: LogReader<Box<dyn BufRead + Send>>,
    first_timestamp_us: Option<u64>,
    started: Instant,
    skipped_lines: usize,
}

/// Where a [`LogTransport`] writes what is sent through it.
struct Recording {
    interface: String,
    writer: LogWriter<Box<dyn Write + Send>>,
}

/// A candump log as a bus: `recv` plays the log's frames with its timing, `send` appends what
/// cockpit sends to another log (when one is given), as a recording of the session.
pub struct LogTransport {
    name: String,
    pacing: Pacing,
    interface: Option<String>,
    playback: Mutex<Playback>,
    recording: Option<Mutex<Recording>>,
}

impl LogTransport {
    /// Plays `reader`, keeping only frames of `interface` when one is given.
    pub fn new(
        reader: LogReader<Box<dyn BufRead + Send>>,
        pacing: Pacing,
        interface: Option<&str>,
    ) -> LogTransport {
        LogTransport {
            name: format!("replay of {}", reader.name()),
            pacing,
            interface: interface.map(str::to_owned),
            playback: Mutex::new(Playback {
                reader,
                first_timestamp_us: None,
                started: Instant::now(),
                skipped_lines: 0,
            }),
            recording: None,
        }
    }

    /// Opens a log file for playback.
    pub fn open(path: &Path, pacing: Pacing, interface: Option<&str>) -> io::Result<LogTransport> {
        let file: Box<dyn BufRead + Send> = Box::new(BufReader::new(File::open(path)?));
        Ok(LogTransport::new(
            LogReader::new(file, &path.display().to_string()),
            pacing,
            interface,
        ))
    }

    /// Records every frame sent through this transport to `writer`, on interface `interface`.
    pub fn record_to(
        mut self,
        writer: LogWriter<Box<dyn Write + Send>>,
        interface: &str,
    ) -> LogTransport {
        self.recording = Some(Mutex::new(Recording {
            interface: interface.to_owned(),
            writer,
        }));
        self
    }

    /// How many malformed lines playback has skipped so far.
    pub async fn skipped_lines(&self) -> usize {
        self.playback.lock().await.skipped_lines
    }

    /// Flushes the recording, if any.
    pub async fn flush(&self) -> io::Result<()> {
        match &self.recording {
            Some(recording) => recording.lock().await.writer.flush(),
            None => Ok(()),
        }
    }

    /// Plays the whole log into `target`. Returns how many frames were sent.
    pub async fn replay_into(&self, target: &dyn CanTransport) -> Result<u64, TransportError> {
        let mut sent = 0;
        loop {
            match self.recv().await {
                Ok(timed) => {
                    target.send(timed.frame).await?;
                    sent += 1;
                }
                Err(TransportError::Closed(_)) => return Ok(sent),
                Err(e) => return Err(e),
            }
        }
    }
}

#[async_trait]
impl CanTransport for LogTransport {
    fn name(&self) -> &str {
        &self.name
    }

    async fn send(&self, frame: CanFrame) -> Result<(), TransportError> {
        // Without a recording, a sent frame goes where it would on a bus nobody listens to.
        let Some(recording) = &self.recording else {
            return Ok(());
        };
        let mut recording = recording.lock().await;
        let record = LogRecord {
            timestamp_us: now_us(),
            interface: recording.interface.clone(),
            frame,
        };
        recording
            .writer
            .write(&record)
            .map_err(|source| TransportError::Io {
                interface: self.name.clone(),
                source,
            })
    }

    async fn recv(&self) -> Result<TimedFrame, TransportError> {
        let mut playback = self.playback.lock().await;
        loop {
            let record = match playback.reader.next() {
                None => return Err(TransportError::Closed(self.name.clone())),
                Some(Err(e)) => {
                    tracing::warn!("{e}");
                    playback.skipped_lines += 1;
                    continue;
                }
                Some(Ok(record)) => record,
            };
            if self
                .interface
                .as_deref()
                .is_some_and(|want| want != record.interface)
            {
                continue;
            }
            let first = match playback.first_timestamp_us {
                Some(first) => first,
                None => {
                    playback.first_timestamp_us = Some(record.timestamp_us);
                    playback.started = Instant::now();
                    record.timestamp_us
                }
            };
            if let Pacing::Factor(factor) = self.pacing {
                let offset_us = record.timestamp_us.saturating_sub(first) as f64 / factor.max(1e-6);
                let due = playback.started + std::time::Duration::from_micros(offset_us as u64);
                tokio::time::sleep_until(due).await;
            }
            return Ok(TimedFrame {
                timestamp_us: record.timestamp_us,
                frame: record.frame,
            });
        }
    }
}

/// Replays the log at `path` into `target` with the given pacing; returns frames sent and
/// lines skipped.
pub async fn replay(
    path: &Path,
    target: &dyn CanTransport,
    pacing: Pacing,
) -> Result<(u64, usize), TransportError> {
    let log = LogTransport::open(path, pacing, None).map_err(|source| TransportError::Io {
        interface: path.display().to_string(),
        source,
    })?;
    let sent = log.replay_into(target).await?;
    Ok((sent, log.skipped_lines().await))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, expect: Result<&str, &str>) {
        let got = parse_line(line).map(|r| r.to_string());
        assert_eq!(
            got,
            expect.map(str::to_owned).map_err(str::to_owned),
            "{line}"
        );
    }

    #[test]
    fn lines_round_trip_in_candump_spelling() {
        for line in [
            "(1631416514.717133) can0 0D2#0000FFFF10000000",
            "(46408.584930) can128 2E4#BE000000A9000000",
            "(0.000001) vcan0 123#",
            "(1.000000) can0 123#R",
            "(1.000000) can0 123#R8",
            "(1.000000) can1 1FFFFFFF#01",
            "(1.000000) can1 00000123##3001122334455667788990011",
        ] {
            check(line, Ok(line));
        }
    }

    #[test]
    fn lenient_forms_are_read_and_written_canonically() {
        check("(1.5) can0 123#11.22.33", Ok("(1.500000) can0 123#112233"));
        check("(1.123456789) can0 123#aa", Ok("(1.123456) can0 123#AA"));
        check(
            "(1.000000) can0 123#1122334455667788_D",
            Ok("(1.000000) can0 123#1122334455667788"),
        );
        check("(1.000000) can0 123#01 R", Ok("(1.000000) can0 123#01"));
        let error_frame = parse_line("(1.000000) can0 20000004#000C000000000000").unwrap();
        assert_eq!(error_frame.frame.kind(), crate::frame::FrameKind::Error);
    }

    #[test]
    fn the_fast_path_agrees_with_the_careful_parser() {
        for line in [
            "(1631416514.717133) can0 0D2#0000FFFF10000000",
            "(0.000001) vcan0 7FF#",
            "(1.000000) can1 1FFFFFFF#01",
            "(1.000000) can1 20000004#000C000000000000",
            "(1.000000) can1 800#00",
            "(1.00000) can0 123#00",
            "(1.000000) can0 123#0",
            "(1.000000) can0 123#001122334455667788",
            "(1.000000) can0 0123#00",
            "(1.000000) can0 123#00 R",
            "(1.000000)  can0 123#00",
            "(1631416514.717133) \tan0 0D2#0000FFFF10000000",
            "(1.000000) can0\t123#00",
        ] {
            let careful = parse_any_line(line);
            if let Some(fast) = parse_common_line(line.as_bytes()) {
                assert_eq!(Ok(fast), careful, "{line}");
            }
        }
        assert!(parse_common_line(b"(1631416514.717133) can0 0D2#0000FFFF10000000").is_some());
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_never_disagrees_on_mutated_lines(at in 0usize..48, byte in proptest::prelude::any::<u8>()) {
            let mut line = b"(1631416514.717133) can0 0D2#0000FFFF10000000".to_vec();
            let n = line.len();
            line[at % n] = byte;
            if let Ok(text) = std::str::from_utf8(&line)
                && let Some(fast) = parse_common_line(text.as_bytes())
            {
                proptest::prop_assert_eq!(Ok(fast), parse_any_line(text));
            }
        }

        #[test]
        fn the_fast_path_never_disagrees_on_lines_of_candump_characters(
            line in "\\([0-9]{0,4}\\.?[0-9]{0,7}\\)[ \t]{1,2}[a-z0-9\t]{0,5}[ \t]{1,2}[0-9A-Fa-f]{0,9}#{0,2}[0-9A-Fa-fR._ \t]{0,20}"
        ) {
            if let Some(fast) = parse_common_line(line.as_bytes()) {
                proptest::prop_assert_eq!(Ok(fast), parse_any_line(&line));
            }
        }
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        check(
            "garbage",
            Err("expected \"(seconds.micros) interface frame\""),
        );
        check("(1.0) can0 800#00", Err("standard id 800 is above 7FF"));
        check(
            "(1.0) can0 12#00",
            Err("id \"12\" has 2 digits; standard ids have 3, extended 8"),
        );
        check(
            "(1.0) can0 123#0",
            Err("data \"0\" has an odd number of hex digits"),
        );
        check(
            "(1.0) can0 123#001122334455667788",
            Err("a classical CAN frame carries at most 8 bytes, got 9"),
        );
        check(
            "(1.0) can0 123##0112233445566778899",
            Err("9 bytes is not a CAN FD length"),
        );
        check(
            "(x) can0 123#00",
            Err("timestamp \"(x)\" is not (seconds.micros)"),
        );
        check(
            "(1.0) can0 123:00",
            Err("frame \"123:00\" has no '#' between id and data"),
        );
        check("(1.0) can0 12G#00", Err("id \"12G\" is not hexadecimal"));
    }

    #[test]
    fn the_reader_reports_bad_lines_and_goes_on() {
        let log = "(1.000000) can0 123#01\n\nnot a frame\n(2.000000) can0 124#02\n\u{0}\u{ff}\n";
        let mut bytes = log.as_bytes().to_vec();
        bytes.extend_from_slice(&[0xFF, 0xFE, b'\n']);
        bytes.extend_from_slice(b"(3.000000) can0 125#03");
        let results: Vec<_> = LogReader::new(&bytes[..], "drive.log").collect();
        let ok: Vec<_> = results
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| r.frame.to_string())
            .collect();
        assert_eq!(ok, ["123#01", "124#02", "125#03"]);
        let errors: Vec<_> = results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errors,
            [
                "drive.log:3: timestamp \"not\" is not (seconds.micros): \"not a frame\"",
                "drive.log:5: expected \"(seconds.micros) interface frame\": \"\\0ÿ\"",
                "drive.log:6: not text (invalid UTF-8): \"\u{fffd}\u{fffd}\"",
            ]
        );
    }

    #[test]
    fn over_long_lines_are_skipped_without_reading_them_whole() {
        let mut bytes = vec![b'x'; MAX_LINE * 3];
        bytes.extend_from_slice(b"\n(1.000000) can0 123#01\n");
        let results: Vec<_> = LogReader::new(&bytes[..], "junk.log").collect();
        assert_eq!(results.len(), 2);
        assert!(
            results[0]
                .as_ref()
                .unwrap_err()
                .reason
                .contains("longer than")
        );
        assert_eq!(results[1].as_ref().unwrap().frame.to_string(), "123#01");
    }

    #[tokio::test(start_paused = true)]
    async fn playback_keeps_the_recorded_timing() {
        let log = "(10.000000) can0 001#\n(10.500000) can0 002#\n(12.000000) can1 003#\n";
        let reader: Box<dyn BufRead + Send> = Box::new(io::Cursor::new(log.as_bytes().to_vec()));
        let transport =
            LogTransport::new(LogReader::new(reader, "t.log"), Pacing::Factor(2.0), None);
        let start = Instant::now();
        let mut at = Vec::new();
        while let Ok(frame) = transport.recv().await {
            at.push((frame.frame.id().raw(), start.elapsed().as_millis()));
        }
        assert_eq!(at, [(1, 0), (2, 250), (3, 1000)]);
    }
}
