//! Decoding a whole log at once, message by message, gives every frame exactly the values it
//! has decoded alone: on the real logs, and on any mix of frames.

use std::path::Path;

use proptest::prelude::*;
use vehicle::dbc::Database;
use vehicle::frame::{CanFrame, CanId};
use vehicle::transport::LogReader;

/// One decoded value: (frame, signal, bits of the physical value).
type Cell = (usize, usize, u64);

/// Every value of every frame, decoded frame by frame, in the order of the whole-log
/// tables: by message, then by frame.
fn frame_by_frame(db: &Database, frames: &[CanFrame]) -> Vec<Cell> {
    let mut by_message: Vec<Vec<Cell>> = vec![Vec::new(); db.messages().len()];
    for (i, frame) in frames.iter().enumerate() {
        let Some(message) = db.message_by_id(frame.id()).filter(|_| frame.is_data()) else {
            continue;
        };
        let index = db
            .messages()
            .iter()
            .position(|m| std::ptr::eq(m, message))
            .unwrap();
        by_message[index].extend(
            message
                .decode(frame.data())
                .iter()
                .map(|v| (i, v.signal, v.physical.to_bits())),
        );
    }
    by_message.concat()
}

fn whole_log(db: &Database, frames: &[CanFrame]) -> Vec<Cell> {
    let tables = db.decode_log(frames);
    let mut cells = Vec::new();
    for table in tables.tables() {
        let signals = db.messages()[table.message()].signals().len();
        for (row, &frame) in table.frames().iter().enumerate() {
            cells.extend(
                (0..signals).filter_map(|s| table.value(row, s).map(|v| (frame, s, v.to_bits()))),
            );
        }
    }
    cells
}

#[test]
fn the_real_logs_decode_alike_both_ways() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data");
    for (dbc, log) in [
        (
            "opendbc/toyota_2017_ref_pt.dbc",
            "comma2k19/rav4_2018-08-02--08-34-47_seg40.candump.log",
        ),
        (
            "moteclog-generator/sample_can_spec.dbc",
            "moteclog-generator/can_sample.log",
        ),
    ] {
        let db = Database::load(&data.join(dbc)).unwrap();
        let frames: Vec<CanFrame> = LogReader::open(&data.join(log))
            .unwrap()
            .map(|r| r.unwrap().frame)
            .collect();
        let expected = frame_by_frame(&db, &frames);
        assert!(expected.len() > 50_000, "{log}: {} values", expected.len());
        assert!(whole_log(&db, &frames) == expected, "{log}");
    }
}

/// Both byte orders in one message, odd widths, signed values, an extended id, a 64-bit
/// field, an FD message with a float, and multiplexing.
const LAYOUTS: &str = r#"
VERSION ""
NS_ :
BS_:
BU_: A
BO_ 1 Mixed: 8 A
 SG_ IntelU : 0|13@1+ (0.25,-100) [0|0] "" A
 SG_ IntelS : 13|11@1- (3,7) [0|0] "" A
 SG_ MotoU : 31|9@0+ (1,0) [0|0] "" A
 SG_ MotoS : 38|15@0- (0.5,0) [0|0] "" A
 SG_ Nib : 52|4@1+ (1,0) [0|0] "" A
BO_ 2 Wide: 8 A
 SG_ All : 0|64@1+ (1,0) [0|0] "" A
BO_ 3 Motorola: 8 A
 SG_ Long : 7|52@0- (0.001,1) [0|0] "" A
 SG_ Rest : 51|12@0+ (1,0) [0|0] "" A
BO_ 2147483651 Fd: 64 A
 SG_ Far : 500|12@1+ (1,0) [0|0] "" A
 SG_ Big : 103|40@0- (1,0) [0|0] "" A
 SG_ F32 : 256|32@1- (1,0) [0|0] "" A
BO_ 4 Muxed: 8 A
 SG_ Switch M : 0|2@1+ (1,0) [0|0] "" A
 SG_ A m1 : 8|16@1+ (1,0) [0|0] "" A
 SG_ B m2 : 8|24@0- (1,0) [0|0] "" A
SIG_VALTYPE_ 2147483651 F32 : 1;
"#;

fn frames_strategy() -> impl Strategy<Value = Vec<CanFrame>> {
    let id = prop_oneof![
        prop::sample::select(vec![
            CanId::Standard(1),
            CanId::Standard(2),
            CanId::Standard(3),
            CanId::Standard(4),
            CanId::Extended(3),
        ]),
        (0u16..=0x7FF).prop_map(CanId::Standard),
    ];
    let len = prop::sample::select(vec![0usize, 2, 5, 7, 8, 8, 8, 12, 64, 64]);
    let frame = prop_oneof![
        9 => (id.clone(), len, any::<[u8; 64]>())
            .prop_map(|(id, n, d)| CanFrame::new(id, &d[..n]).unwrap()),
        1 => (id, 0u8..=8).prop_map(|(id, dlc)| CanFrame::remote(id, dlc).unwrap()),
    ];
    prop::collection::vec(frame, 0..200)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn any_mix_of_frames_decodes_alike_both_ways(frames in frames_strategy()) {
        let db = Database::parse(LAYOUTS, Path::new("layouts.dbc")).unwrap();
        prop_assert_eq!(whole_log(&db, &frames), frame_by_frame(&db, &frames));
    }
}
