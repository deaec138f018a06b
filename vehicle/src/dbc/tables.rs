//! Decoding a whole log at once, into one table per message: a row per frame, a column per
//! signal, as a plot or a spreadsheet wants it.
//!
//! Frame by frame, in the order they arrived, every frame is a different loop: a bus
//! interleaves dozens of messages, each with its own number of signals, and the processor
//! mispredicts where each frame's loop ends and whether its id is known at all. That, not
//! memory, is most of what decoding a real log costs (see the README's measurements). A log
//! already in memory need not be decoded in that order. Its frames are first gathered by
//! message, each frame's first eight bytes copied into one run per message in a pass with no
//! branch on the id; then each signal is decoded down its message's whole column with one
//! shift and one scale, a loop with no branch on the data.

use super::{Database, Message, SignalValue, WordDecoder};
use crate::frame::CanFrame;

/// A log decoded message by message ([`Database::decode_log`]).
///
/// Decoding a long log in pieces into the same `LogTables`
/// ([`Database::decode_log_into`]) reuses its memory, which for a log of a few megabytes
/// costs more to obtain from the system than to decode into.
#[derive(Debug, Clone, Default)]
pub struct LogTables {
    /// In the order of [`Database::messages`]; messages without frames have no table.
    tables: Vec<MessageTable>,
    /// Tables of an earlier piece, kept for their memory.
    spare: Vec<MessageTable>,
    /// Working memory: the frames of each message, gathered; slot 0 holds the frames that
    /// are not decoded, so that gathering treats every frame alike, and slot m + 1 message m.
    runs: Vec<Vec<Gathered>>,
    /// For each slot, whether its frames are gathered big-endian.
    big_endian: Vec<bool>,
}

/// One frame gathered for decoding: what the column loops read, packed in 16 bytes.
#[derive(Debug, Clone, Copy)]
struct Gathered {
    /// The first eight payload bytes, read big-endian for a message of mostly Motorola
    /// signals and little-endian otherwise.
    head: u64,
    /// The frame's index in the log, shifted up by 8, over its payload length (at most 64).
    /// A `u64`, not a `usize`: on a 32-bit head unit the index needs more than 24 bits.
    index_len: u64,
}

impl Gathered {
    fn index(&self) -> usize {
        // Cannot truncate: the index came from a usize.
        (self.index_len >> 8) as usize
    }

    fn len(&self) -> usize {
        (self.index_len & 0xFF) as usize
    }
}

/// Every frame of one message in a log, decoded: a row per frame in log order, a column per
/// signal in the order of [`Message::signals`].
#[derive(Debug, Clone, Default)]
pub struct MessageTable {
    message: usize,
    /// For each row, the index of its frame in the slice that was decoded.
    frames: Vec<usize>,
    /// Column-major: signal `s` of row `r` is at `s * rows + r`, NaN where absent.
    values: Vec<f64>,
    /// Whether each value is present, in the same layout; empty when all are, as in every
    /// message without multiplexing whose frames are long enough for all its signals.
    present: Vec<bool>,
}

impl Database {
    /// Decodes every data frame of a known message in `frames`: all signals, multiplexing
    /// honoured, short payloads as [`Message::decode_into`] decodes them. Frames of unknown
    /// ids, remote frames and error frames are passed over.
    pub fn decode_log(&self, frames: &[CanFrame]) -> LogTables {
        let mut tables = LogTables::default();
        self.decode_log_into(frames, &mut tables);
        tables
    }

    /// [`decode_log`](Self::decode_log) into tables whose memory is reused; what they held
    /// before is replaced.
    pub fn decode_log_into(&self, frames: &[CanFrame], tables: &mut LogTables) {
        let runs = &mut tables.runs;
        runs.resize_with(self.messages.len() + 1, Vec::new);
        runs.iter_mut().for_each(Vec::clear);
        let big_endian = &mut tables.big_endian;
        big_endian.clear();
        big_endian.push(false);
        big_endian.extend(self.messages.iter().map(Message::gathers_big_endian));
        for (i, frame) in frames.iter().enumerate() {
            let slot = if frame.is_data() {
                self.slot_of(frame.id())
            } else {
                0
            };
            let head = frame.head();
            runs[slot].push(Gathered {
                head: if big_endian[slot] {
                    u64::from_be_bytes(head)
                } else {
                    u64::from_le_bytes(head)
                },
                index_len: (i as u64) << 8 | frame.data().len() as u64,
            });
        }

        tables.spare.append(&mut tables.tables);
        for (index, message) in self.messages.iter().enumerate() {
            let run = &tables.runs[index + 1];
            if run.is_empty() {
                continue;
            }
            let mut table = tables.spare.pop().unwrap_or_default();
            message.fill_table(&mut table, index, frames, run, tables.big_endian[index + 1]);
            tables.tables.push(table);
        }
    }
}

impl Message {
    /// Fills `table` with this message's frames of `frames`, gathered in `run` (their heads
    /// read big-endian when `big_endian`).
    fn fill_table(
        &self,
        table: &mut MessageTable,
        index: usize,
        frames: &[CanFrame],
        run: &[Gathered],
        big_endian: bool,
    ) {
        table.message = index;
        table.frames.clear();
        table.frames.extend(run.iter().map(Gathered::index));
        table.values.clear();
        table.present.clear();
        let mut scratch = Vec::new();
        let Some(decoders) = &self.word_decoders else {
            table
                .values
                .resize(run.len() * self.signals.len(), f64::NAN);
            table.present.resize(table.values.len(), false);
            for (row, g) in run.iter().enumerate() {
                table.decode_row(self, row, &frames[g.index()], &mut scratch);
            }
            return;
        };
        for decoder in decoders {
            if decoder.motorola != big_endian {
                table.values.extend(column::<true>(*decoder, run));
            } else {
                table.values.extend(column::<false>(*decoder, run));
            }
        }
        // Payloads too short for every signal (rare: a sender that shortened a message)
        // are decoded again the general way, which leaves out what they do not hold.
        for (row, g) in run.iter().enumerate() {
            if g.len() < self.word_len {
                table.decode_row(self, row, &frames[g.index()], &mut scratch);
            }
        }
    }

    /// Whether this message's frames are gathered with their first eight bytes read
    /// big-endian: when most of its signals are Motorola, so that most columns need no byte
    /// swap.
    fn gathers_big_endian(&self) -> bool {
        self.word_decoders
            .as_ref()
            .is_some_and(|d| 2 * d.iter().filter(|d| d.motorola).count() > d.len())
    }
}

/// 2^52 as the bits of an f64: OR-ed onto an integer below 2^52, it makes the float
/// 2^52 + that integer, exactly.
const TWO_52_BITS: u64 = 0x4330_0000_0000_0000;

/// The physical values of one signal down a run of frames; `SWAP` when the signal's byte
/// order is not the one the heads were gathered in.
///
/// Integers of up to 52 bits become floats through the bits of 2^52 rather than by a
/// conversion instruction: x86-64 has no vector form of that conversion short of AVX-512,
/// while this is integer and float arithmetic the compiler vectorises. It is exact, so the
/// values are bit for bit those of [`Message::decode_into`].
fn column<const SWAP: bool>(
    decoder: WordDecoder,
    run: &[Gathered],
) -> impl Iterator<Item = f64> + '_ {
    let word = |g: &Gathered| if SWAP { g.head.swap_bytes() } else { g.head };
    let size = 64 - u32::from(decoder.right);
    let narrow = size <= 52;
    // Signed values are moved up by 2^51 into 0..2^52 on the way (flipping the sign bit
    // makes a two's complement value offset binary), and back down as floats.
    let (flip, up, down) = if decoder.signed && narrow {
        let sign = 1u64 << (size - 1);
        (sign, (1u64 << 51) - sign, 2f64.powi(52) + 2f64.powi(51))
    } else {
        (0, 0, 2f64.powi(52))
    };
    run.iter().map(move |g| {
        if narrow {
            let bits = (word(g) << decoder.left) >> decoder.right;
            let shifted = (bits ^ flip).wrapping_add(up);
            let raw = f64::from_bits(shifted | TWO_52_BITS) - down;
            raw * decoder.factor + decoder.offset
        } else {
            decoder.physical(decoder.bits(word(g)))
        }
    })
}

impl MessageTable {
    /// Fills one row from the frame, signal by signal, marking the signals it lacks absent.
    fn decode_row(
        &mut self,
        message: &Message,
        row: usize,
        frame: &CanFrame,
        scratch: &mut Vec<SignalValue>,
    ) {
        let rows = self.frames.len();
        if self.present.is_empty() {
            self.present.resize(self.values.len(), true);
        }
        let present = &mut self.present;
        for signal in 0..message.signals.len() {
            self.values[signal * rows + row] = f64::NAN;
            present[signal * rows + row] = false;
        }
        message.decode_into(frame.data(), scratch);
        for value in scratch.iter() {
            self.values[value.signal * rows + row] = value.physical;
            present[value.signal * rows + row] = true;
        }
    }

    /// The index of the message in [`Database::messages`].
    pub fn message(&self) -> usize {
        self.message
    }

    /// How many frames of the message the log holds.
    pub fn rows(&self) -> usize {
        self.frames.len()
    }

    /// For each row, the index of its frame in the slice given to
    /// [`Database::decode_log`], ascending.
    pub fn frames(&self) -> &[usize] {
        &self.frames
    }

    /// The physical values of one signal (by its index in [`Message::signals`]), a value per
    /// row; NaN where the frame does not hold the signal. `None` for no such signal.
    pub fn column(&self, signal: usize) -> Option<&[f64]> {
        let rows = self.rows();
        self.values
            .get(signal.checked_mul(rows)?..signal.checked_add(1)?.checked_mul(rows)?)
    }

    /// The physical value of a signal in a row; `None` where the frame does not hold it
    /// (multiplexed out, or beyond a short payload) or there is no such row or signal.
    pub fn value(&self, row: usize, signal: usize) -> Option<f64> {
        if row >= self.rows() {
            return None;
        }
        let at = signal.checked_mul(self.rows())?.checked_add(row)?;
        let value = *self.values.get(at)?;
        let present = self.present.get(at).copied().unwrap_or(true);
        present.then_some(value)
    }
}

impl LogTables {
    /// One table per message that has frames in the log, in the order of
    /// [`Database::messages`].
    pub fn tables(&self) -> &[MessageTable] {
        &self.tables
    }

    /// The table of the message at this index in [`Database::messages`], if it has frames.
    pub fn table(&self, message: usize) -> Option<&MessageTable> {
        let at = self
            .tables
            .binary_search_by_key(&message, |t| t.message)
            .ok()?;
        self.tables.get(at)
    }

    /// How many frames were decoded, over all messages.
    pub fn frames_decoded(&self) -> usize {
        self.tables.iter().map(MessageTable::rows).sum()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::frame::CanId;

    /// Both byte orders in one message and in the other's majority, signed values, a
    /// multiplexed message, and signals too wide for the float trick or the word path.
    const DBC: &str = r#"
VERSION ""
NS_ :
BS_:
BU_: A
BO_ 256 MostlyIntel: 8 A
 SG_ IntelU : 0|12@1+ (0.5,-10) [0|0] "" A
 SG_ IntelS : 12|9@1- (1,0) [0|0] "" A
 SG_ MotoS : 39|10@0- (0.25,3) [0|0] "" A
BO_ 257 MostlyMotorola: 8 A
 SG_ MotoU : 7|16@0+ (0.01,0) [0|0] "" A
 SG_ MotoS : 23|8@0- (1,0) [0|0] "" A
 SG_ IntelU : 56|8@1+ (1,0) [0|0] "" A
BO_ 258 Muxed: 8 A
 SG_ Switch M : 0|8@1+ (1,0) [0|0] "" A
 SG_ A m1 : 8|16@1+ (1,0) [0|0] "" A
 SG_ B m2 : 8|16@1- (1,0) [0|0] "" A
BO_ 259 Wide: 8 A
 SG_ Wide : 0|60@1- (1,0) [0|0] "" A
 SG_ Top : 60|4@1+ (1,0) [0|0] "" A
BO_ 260 Full: 8 A
 SG_ All : 0|64@1+ (1,0) [0|0] "" A
"#;

    fn database() -> Database {
        Database::parse(DBC, Path::new("tables.dbc")).unwrap()
    }

    fn frame(id: u16, data: &[u8]) -> CanFrame {
        CanFrame::classic(CanId::Standard(id), data).unwrap()
    }

    /// A bus's mix: every message, an unknown id, a remote frame of a known id, and a
    /// payload too short for all of its message's signals.
    fn log() -> Vec<CanFrame> {
        vec![
            frame(256, &[0xFF, 0x3F, 0x80, 0x12, 0x34, 0x56, 0x78, 0x9A]),
            frame(257, &[0x80, 0x01, 0xFE, 0, 0, 0, 0, 0xC8]),
            frame(0x7FF, &[1, 2, 3]),
            frame(258, &[1, 0x34, 0x12, 0, 0, 0, 0, 0]),
            frame(258, &[2, 0xFE, 0xFF, 0, 0, 0, 0, 0]),
            CanFrame::remote(CanId::Standard(256), 8).unwrap(),
            frame(259, &[0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xAF]),
            frame(260, &[0xFF; 8]),
            frame(256, &[0x01, 0x20, 0x00]),
            frame(257, &[0x7F, 0xFF, 0x80, 0, 0, 0, 0, 1]),
        ]
    }

    /// What each frame decodes to alone, as (signal, physical value bits).
    fn alone(db: &Database, frame: &CanFrame) -> Vec<(usize, u64)> {
        db.message_by_id(frame.id())
            .unwrap()
            .decode(frame.data())
            .iter()
            .map(|v| (v.signal, v.physical.to_bits()))
            .collect()
    }

    fn row(db: &Database, table: &MessageTable, row: usize) -> Vec<(usize, u64)> {
        let signals = db.messages()[table.message()].signals().len();
        (0..signals)
            .filter_map(|s| table.value(row, s).map(|v| (s, v.to_bits())))
            .collect()
    }

    #[test]
    fn every_frame_reads_as_it_does_alone() {
        let db = database();
        let log = log();
        let tables = db.decode_log(&log);
        for table in tables.tables() {
            for (r, &frame) in table.frames().iter().enumerate() {
                assert_eq!(row(&db, table, r), alone(&db, &log[frame]), "frame {frame}");
            }
        }
    }

    #[test]
    fn tables_go_in_database_order_and_rows_in_log_order() {
        let db = database();
        let tables = db.decode_log(&log());
        let layout: Vec<(usize, Vec<usize>)> = tables
            .tables()
            .iter()
            .map(|t| (t.message(), t.frames().to_vec()))
            .collect();
        // The unknown id and the remote frame (2 and 5) are in no table.
        assert_eq!(
            layout,
            vec![
                (0, vec![0, 8]),
                (1, vec![1, 9]),
                (2, vec![3, 4]),
                (3, vec![6]),
                (4, vec![7])
            ]
        );
        assert_eq!(tables.frames_decoded(), 8);
        assert_eq!(tables.table(2).map(MessageTable::rows), Some(2));
    }

    #[test]
    fn absent_signals_are_none_and_nan() {
        let db = database();
        let tables = db.decode_log(&log());
        let muxed = tables.table(2).unwrap();
        // Switch 1 carries A, switch 2 carries B.
        assert_eq!(muxed.value(0, 1), Some(f64::from(0x1234)));
        assert_eq!(muxed.value(0, 2), None);
        assert_eq!(muxed.value(1, 1), None);
        assert_eq!(muxed.value(1, 2), Some(-2.0));
        assert!(muxed.column(2).unwrap()[0].is_nan());
        // The three-byte frame holds IntelU and IntelS, not MotoS in byte 4.
        let short = tables.table(0).unwrap();
        assert_eq!(short.value(1, 0), Some(0x001 as f64 * 0.5 - 10.0));
        assert_eq!(short.value(1, 2), None);
        assert_eq!(short.value(2, 0), None, "no third row");
        assert_eq!(short.column(3), None, "no fourth signal");
    }

    #[test]
    fn reused_tables_hold_only_the_latest_log() {
        let db = database();
        let log = log();
        let mut tables = db.decode_log(&log);
        db.decode_log_into(&log[6..8], &mut tables);
        let messages: Vec<usize> = tables.tables().iter().map(|t| t.message()).collect();
        assert_eq!(messages, vec![3, 4]);
        assert_eq!(tables.table(3).unwrap().frames(), &[0]);
        assert_eq!(row(&db, tables.table(3).unwrap(), 0), alone(&db, &log[6]));
    }
}
