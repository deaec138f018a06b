//! cockpit's candump logs and can-utils read each other's: a log cockpit writes is read by
//! can-utils (`log2long`, `log2asc`, and `canplayer` where the kernel has CAN), and a log
//! can-utils writes (`asc2log`, and `candump -l` logs in the real data) is read by cockpit.

use std::path::Path;
use std::process::Command;

use cockpit_tests::{data, have_program};
use vehicle::frame::{CanFrame, CanId, FrameKind};
use vehicle::transport::{LogReader, LogRecord, LogWriter, SocketCan};

fn sample_records() -> Vec<LogRecord> {
    let frames = [
        CanFrame::classic(CanId::Standard(0x0D2), &[0, 0, 0xFF, 0xFF, 0x10, 0, 0, 0]).unwrap(),
        CanFrame::classic(CanId::Standard(0x7FF), &[]).unwrap(),
        CanFrame::classic(CanId::Extended(0x1ABC_DEF0), &[1, 2, 3]).unwrap(),
        CanFrame::fd(CanId::Standard(0x123), &[0xA5; 12], true, false).unwrap(),
        CanFrame::fd(
            CanId::Extended(0x42),
            &(0..64).collect::<Vec<u8>>(),
            false,
            false,
        )
        .unwrap(),
        CanFrame::remote(CanId::Standard(0x321), 4).unwrap(),
    ];
    frames
        .into_iter()
        .enumerate()
        .map(|(i, frame)| LogRecord {
            timestamp_us: 1_700_000_000_000_000 + i as u64 * 1_250,
            interface: if i % 2 == 0 { "can0" } else { "can1" }.into(),
            frame,
        })
        .collect()
}

fn write_log(path: &Path, records: &[LogRecord]) {
    let mut writer = LogWriter::create(path).unwrap();
    for record in records {
        writer.write(record).unwrap();
    }
    writer.flush().unwrap();
}

fn require(program: &str) {
    assert!(
        have_program(program),
        "{program} is missing: the test set-up installs Debian's can-utils; run ./scripts/test.sh once"
    );
}

/// One line of `log2long`: timestamp, interface, id, length and payload (or "remote").
fn parse_log2long(line: &str) -> (String, String, String, usize, Vec<u8>, bool) {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let len = fields[3].trim_matches(['[', ']']).parse().unwrap();
    let remote = line.contains("remote request");
    let bytes = fields[4..]
        .iter()
        .take_while(|f| f.len() == 2 && f.chars().all(|c| c.is_ascii_hexdigit()))
        .map(|f| u8::from_str_radix(f, 16).unwrap())
        .collect();
    (
        fields[0].to_owned(),
        fields[1].to_owned(),
        fields[2].to_owned(),
        len,
        bytes,
        remote,
    )
}

#[test]
fn can_utils_read_the_logs_cockpit_writes() {
    require("log2long");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("cockpit.log");
    let records = sample_records();
    write_log(&log, &records);

    let output = Command::new("log2long")
        .stdin(std::fs::File::open(&log).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), records.len(), "{text}");
    for (line, record) in lines.iter().zip(&records) {
        let (time, interface, id, len, bytes, remote) = parse_log2long(line);
        let seconds = record.timestamp_us / 1_000_000;
        let micros = record.timestamp_us % 1_000_000;
        assert_eq!(time, format!("({seconds}.{micros:06})"));
        assert_eq!(interface, record.interface);
        assert_eq!(id, record.frame.id().to_string());
        match record.frame.kind() {
            FrameKind::Remote { dlc } => {
                assert!(remote, "{line}");
                assert_eq!(len, usize::from(dlc));
            }
            _ => {
                assert_eq!(len, record.frame.data().len(), "{line}");
                assert_eq!(bytes, record.frame.data(), "{line}");
            }
        }
    }

    require("log2asc");
    let asc = dir.path().join("cockpit.asc");
    let status = Command::new("log2asc")
        .args([
            "-I",
            &log.to_string_lossy(),
            "-O",
            &asc.to_string_lossy(),
            "can0",
            "can1",
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let asc_text = std::fs::read_to_string(&asc).unwrap();
    assert!(
        asc_text.contains("1ABCDEF0x"),
        "the extended frame reaches the ASC file:\n{asc_text}"
    );
}

#[test]
fn canplayer_replays_a_log_cockpit_wrote() {
    require("canplayer");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("cockpit.log");
    write_log(&log, &sample_records());
    let output = Command::new("canplayer")
        .args([
            "-I",
            &log.to_string_lossy(),
            "-t",
            "vcan0=can0",
            "vcan0=can1",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !SocketCan::kernel_supports_can() {
        // canplayer parses the whole log before it opens sockets only per frame, so this
        // kernel's missing PF_CAN shows as a socket error, not as a parse error.
        eprintln!(
            "canplayer skipped: this kernel has no SocketCAN support ({})",
            stderr.trim()
        );
        assert!(
            stderr.contains("socket"),
            "canplayer failed for another reason: {stderr}"
        );
        return;
    }
    assert!(
        output.status.success() || stderr.contains("vcan0"),
        "canplayer: {stderr}"
    );
}

#[test]
fn cockpit_reads_the_logs_can_utils_write() {
    require("asc2log");
    let dir = tempfile::tempdir().unwrap();
    let asc = dir.path().join("vector.asc");
    std::fs::write(
        &asc,
        "date Sun Sep 12 03:15:14 2021\nbase hex  timestamps absolute\nno internal events logged\n\
         \x20  0.000000 1  D2              Rx   d 8 00 00 FF FF 10 00 00 00\n\
         \x20  0.012345 2  1ABCDEF0x       Rx   d 3 01 02 03\n\
         \x20  0.100000 1  123             Rx   r\n",
    )
    .unwrap();
    let log = dir.path().join("from-asc2log.log");
    let status = Command::new("asc2log")
        .args(["-I", &asc.to_string_lossy(), "-O", &log.to_string_lossy()])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let records: Vec<LogRecord> = LogReader::open(&log).unwrap().map(Result::unwrap).collect();
    let frames: Vec<String> = records
        .iter()
        .map(|r| format!("{} {}", r.interface, r.frame))
        .collect();
    assert_eq!(
        frames,
        [
            "can0 0D2#0000FFFF10000000",
            "can1 1ABCDEF0#010203",
            "can0 123#R"
        ]
    );
    assert_eq!(records[1].timestamp_us - records[0].timestamp_us, 12_345);

    // `candump -l` logs from the real data: every line reads.
    for path in [
        "moteclog-generator/can_sample.log",
        "comma2k19/rav4_2018-08-02--08-34-47_seg40.candump.log",
    ] {
        let mut n = 0;
        for record in LogReader::open(&data(path)).unwrap() {
            record.unwrap_or_else(|e| panic!("{e}"));
            n += 1;
        }
        assert!(n > 80_000, "{path}: {n} frames");
    }
}
