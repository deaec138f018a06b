//! `cockpit can decode LOG --csv DIR`: a log as one CSV table per message, a row per frame
//! and a column per signal, for a spreadsheet or a plot.
//!
//! The log is read and decoded a piece at a time with `Database::decode_log_into`, which
//! decodes message by message and reuses its memory, so a log of any length is written in
//! the memory of one piece.

use std::collections::HashSet;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use vehicle::dbc::{Database, LogTables, Message};
use vehicle::frame::CanFrame;
use vehicle::transport::{LogReader, LogRecord};

use crate::can_cmd::decimals;
use crate::car::load_database;
use crate::cli::DecodeArgs;

/// Frames decoded at once: about 200 MB of records, frames and tables at the most.
const PIECE: usize = 1 << 20;

pub fn write(args: &DecodeArgs, dir: &Path) -> Result<()> {
    let database = load_database(&args.car)?;
    let reader = LogReader::open(&args.log)
        .with_context(|| format!("cannot open CAN log {}", args.log.display()))?;
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let mut out = CsvTables::new(&database, dir);
    let mut records = Vec::new();
    let mut frames = Vec::new();
    let mut tables = LogTables::default();
    let (mut total, mut bad) = (0u64, 0u64);
    for record in reader {
        match record {
            Ok(record)
                if args
                    .interface
                    .as_deref()
                    .is_none_or(|want| want == record.interface) =>
            {
                total += 1;
                frames.push(record.frame);
                records.push(record);
            }
            Ok(_) => {}
            Err(e) => {
                eprintln!("warning: {e}");
                bad += 1;
            }
        }
        if records.len() == PIECE {
            out.write(&records, &frames, &mut tables)?;
            records.clear();
            frames.clear();
        }
    }
    out.write(&records, &frames, &mut tables)?;
    let files = out.finish()?;
    if total == 0 && bad > 0 {
        bail!(
            "{} holds no readable frame: it is not a candump log (`candump -l` format)",
            args.log.display()
        );
    }
    eprintln!(
        "{total} frames, {} described by {}, written to {files} tables in {}; {bad} bad lines skipped",
        out.rows,
        database.source().display(),
        dir.display()
    );
    Ok(())
}

/// The CSV files of one log, opened as their messages first appear.
struct CsvTables<'a> {
    database: &'a Database,
    dir: &'a Path,
    /// By message index.
    files: Vec<Option<CsvFile>>,
    names: HashSet<String>,
    rows: u64,
}

struct CsvFile {
    path: PathBuf,
    writer: csv::Writer<File>,
    /// Decimal places of each signal's column: its resolution.
    places: Vec<usize>,
}

impl<'a> CsvTables<'a> {
    fn new(database: &'a Database, dir: &'a Path) -> CsvTables<'a> {
        CsvTables {
            database,
            dir,
            files: (0..database.messages().len()).map(|_| None).collect(),
            names: HashSet::new(),
            rows: 0,
        }
    }

    /// Decodes a piece of the log and appends its rows to the tables.
    fn write(
        &mut self,
        records: &[LogRecord],
        frames: &[CanFrame],
        tables: &mut LogTables,
    ) -> Result<()> {
        self.database.decode_log_into(frames, tables);
        let mut fields = Vec::new();
        for table in tables.tables() {
            let message = &self.database.messages()[table.message()];
            let file = self.file(table.message(), message)?;
            for (row, &frame) in table.frames().iter().enumerate() {
                let record = &records[frame];
                fields.clear();
                fields.push(format!(
                    "{}.{:06}",
                    record.timestamp_us / 1_000_000,
                    record.timestamp_us % 1_000_000
                ));
                fields.push(record.interface.clone());
                fields.extend(file.places.iter().enumerate().map(|(signal, &places)| {
                    table
                        .value(row, signal)
                        .map_or_else(String::new, |v| format!("{v:.places$}"))
                }));
                file.writer
                    .write_record(&fields)
                    .with_context(|| format!("cannot write {}", file.path.display()))?;
            }
            self.rows += table.rows() as u64;
        }
        Ok(())
    }

    /// The message's file, created with its header row the first time.
    fn file(&mut self, index: usize, message: &Message) -> Result<&mut CsvFile> {
        let file = match self.files[index].take() {
            Some(file) => file,
            None => self.create(message)?,
        };
        Ok(self.files[index].insert(file))
    }

    fn create(&mut self, message: &Message) -> Result<CsvFile> {
        // DBC names are identifiers, but a file name must never become a path.
        let mut name: String = message
            .name()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if !self.names.insert(name.clone()) {
            name = format!("{name}-{}", message.id());
            self.names.insert(name.clone());
        }
        let path = self.dir.join(format!("{name}.csv"));
        let mut writer = csv::Writer::from_path(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let header = ["time_s", "interface"]
            .into_iter()
            .chain(message.signals().iter().map(|s| s.name()));
        writer
            .write_record(header)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let places = (0..message.signals().len())
            .map(|s| decimals(message, s))
            .collect();
        Ok(CsvFile {
            path,
            writer,
            places,
        })
    }

    /// Flushes every table; returns how many there are.
    fn finish(&mut self) -> Result<usize> {
        let mut count = 0;
        for file in self.files.iter_mut().flatten() {
            file.writer
                .flush()
                .with_context(|| format!("cannot write {}", file.path.display()))?;
            count += 1;
        }
        Ok(count)
    }
}
