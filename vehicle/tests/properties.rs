//! Property tests: the parsers never panic on anything, and what the codec writes it reads back.

use std::path::Path;

use proptest::prelude::*;
use vehicle::dbc::{Database, RawKind};
use vehicle::frame::{CanFrame, CanId, is_valid_fd_length};
use vehicle::transport::{LogReader, LogRecord, parse_line};

const REAL_LINES: [&str; 4] = [
    "(46408.584930) can0 260#08FFFB0000001884",
    "(1631416514.717133) can0 0D3#0006E00F000011",
    "(1.000000) can1 00000123##3001122334455667788990011",
    "(2.500000) vcan0 7FF#R8",
];

fn frame_strategy() -> impl Strategy<Value = CanFrame> {
    let id = prop_oneof![
        (0u16..=0x7FF).prop_map(CanId::Standard),
        (0u32..=0x1FFF_FFFF).prop_map(CanId::Extended),
    ];
    let fd_len = prop::sample::select(vec![0usize, 1, 5, 8, 12, 16, 20, 24, 32, 48, 64]);
    prop_oneof![
        (id.clone(), prop::collection::vec(any::<u8>(), 0..=8))
            .prop_map(|(id, d)| CanFrame::classic(id, &d).unwrap()),
        (
            id.clone(),
            fd_len,
            any::<[u8; 64]>(),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(id, n, d, brs, esi)| CanFrame::fd(id, &d[..n], brs, esi).unwrap()),
        (id, 0u8..=8).prop_map(|(id, dlc)| CanFrame::remote(id, dlc).unwrap()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_text_is_parsed_or_refused_without_panicking(line in "\\PC{0,120}") {
        let _ = parse_line(&line);
    }

    #[test]
    fn mutated_real_lines_are_parsed_or_refused(index in 0..REAL_LINES.len(), at in 0usize..60, byte in any::<u8>(), cut in 0usize..60) {
        let mut bytes = REAL_LINES[index].as_bytes().to_vec();
        let at = at % bytes.len();
        bytes[at] = byte;
        bytes.truncate(cut.max(1).min(bytes.len()));
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        let results: Vec<_> = LogReader::new(&bytes[..], "mutated.log").collect();
        prop_assert!(results.len() <= lines);
    }

    #[test]
    fn written_records_read_back(frame in frame_strategy(), seconds in 0u64..4_000_000_000, micros in 0u64..1_000_000) {
        let record = LogRecord { timestamp_us: seconds * 1_000_000 + micros, interface: "can0".into(), frame };
        let parsed = parse_line(&record.to_string()).unwrap();
        prop_assert_eq!(parsed, record);
    }

    #[test]
    fn frames_keep_their_length_rules(len in 0usize..70) {
        let data = vec![0u8; len];
        prop_assert_eq!(CanFrame::classic(CanId::Standard(1), &data).is_ok(), len <= 8);
        prop_assert_eq!(CanFrame::fd(CanId::Standard(1), &data, false, false).is_ok(), is_valid_fd_length(len) && len <= 64);
    }
}

/// A DBC with every layout property the codec handles: both byte orders, signed values,
/// scaling with offsets, odd widths, a 64-bit field and an FD length.
const LAYOUTS: &str = r#"
VERSION ""
NS_ :
BS_:
BU_: A
BO_ 1 Mixed: 8 A
 SG_ IntelU : 0|13@1+ (0.25,-100) [-100|1947.75] "" A
 SG_ IntelS : 13|11@1- (3,7) [-3065|3076] "" A
 SG_ MotoU : 31|9@0+ (1,0) [0|511] "" A
 SG_ MotoS : 38|15@0- (0.5,0) [-8192|8191.5] "" A
 SG_ Nib : 52|4@1+ (1,0) [0|15] "" A
BO_ 2 Wide: 8 A
 SG_ All : 0|64@1+ (1,0) [0|0] "" A
BO_ 2147483651 Fd: 64 A
 SG_ Far : 500|12@1+ (1,0) [0|4095] "" A
 SG_ Big : 103|40@0- (1,0) [0|0] "" A
 SG_ F32 : 256|32@1- (1,0) [0|0] "" A
SIG_VALTYPE_ 2147483651 F32 : 1;
"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_codec_reads_back_what_it_writes(seed in any::<[u64; 8]>()) {
        let db = Database::parse(LAYOUTS, Path::new("layouts.dbc")).unwrap();
        for message in db.messages() {
            let mut values = Vec::new();
            for (i, signal) in message.signals().iter().enumerate() {
                let raw = match signal.kind() {
                    RawKind::Float32 => f64::from(f32::from_bits(seed[i] as u32 & 0x7F7F_FFFF)),
                    RawKind::Float64 => f64::from_bits(seed[i] & 0x7FEF_FFFF_FFFF_FFFF),
                    _ => {
                        let (min, max) = signal.physical_range();
                        let lo = ((min - signal.offset()) / signal.factor()).ceil();
                        let hi = ((max - signal.offset()) / signal.factor()).floor();
                        let span = (hi - lo).min(2f64.powi(52));
                        lo + (seed[i] % (span as u64 + 1)) as f64
                    }
                };
                values.push((signal.name(), raw * signal.factor() + signal.offset()));
            }
            let data = message.encode(&values).unwrap();
            let decoded = message.decode(&data);
            prop_assert_eq!(decoded.len(), values.len());
            for (value, (name, expected)) in decoded.iter().zip(&values) {
                prop_assert_eq!(value.physical, *expected, "{}.{}", message.name(), name);
            }
        }
    }

    #[test]
    fn random_payloads_decode_without_panicking(data in prop::collection::vec(any::<u8>(), 0..=64)) {
        let db = Database::parse(LAYOUTS, Path::new("layouts.dbc")).unwrap();
        for message in db.messages() {
            let decoded = message.decode(&data);
            prop_assert!(decoded.len() <= message.signals().len());
        }
    }
}
