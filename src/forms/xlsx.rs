//! Blank status forms as workbooks, for owners who work in Excel: the layout the contract
//! gives (sheets `Skjema` and `Status`, column keys in row 1, questions in row 2), with the ids
//! locked, a list of status words, whole-number progress, date cells, room to write, last
//! round's answers beside (`Forrige runde`), and a guide in bokmål (`Veiledning`).
//!
//! What is written here is read back by `crate::parse::xlsx`; the keys come from there.

use chrono::Datelike;
use chrono::NaiveDate;
use rust_xlsxwriter::DataValidation;
use rust_xlsxwriter::DataValidationRule;
use rust_xlsxwriter::ExcelDateTime;
use rust_xlsxwriter::Format;
use rust_xlsxwriter::FormatAlign;
use rust_xlsxwriter::ProtectionOptions;
use rust_xlsxwriter::Workbook;
use rust_xlsxwriter::Worksheet;
use rust_xlsxwriter::XlsxError;

use super::OwnerRound;
use super::RoundForms;
use crate::error::Error;
use crate::error::Result;
use crate::model::Answers;
use crate::model::Status;
use crate::model::Update;
use crate::parse::xlsx::FORM_SHEET;
use crate::parse::xlsx::HEADER_ROWS;
use crate::parse::xlsx::STATUS_COLUMNS;
use crate::parse::xlsx::STATUS_SHEET;
use crate::period::PeriodSpec;
use crate::render::Labels;
use crate::render::Lang;

/// The sheet with what each initiative reported last, to copy from.
pub const PREVIOUS_SHEET: &str = "Forrige runde";
/// The sheet that says how to fill the form in.
pub const GUIDE_SHEET: &str = "Veiledning";

/// One owner's workbook.
pub fn blank_workbook(forms: &RoundForms, o: &OwnerRound<'_>, lang: Lang) -> Result<Vec<u8>> {
    workbook(forms, o, lang)
        .map_err(|e| Error::refused(format!("cannot write the workbook for `{}`: {e}", o.owner)))
}

/// The words of a workbook that are not report labels.
struct Words {
    date_format: &'static str,
    question: [(&'static str, &'static str); 7],
    form_help: [&'static str; 5],
    status_tip: &'static str,
    progress_tip: &'static str,
    date_tip: &'static str,
    date_error: &'static str,
    no_earlier: &'static str,
}

static NB: Words = Words {
    date_format: "dd.mm.yyyy",
    question: [
        ("initiative", "Initiativ (id)"),
        ("title", "Tittel"),
        ("status", "Status"),
        ("progress", "Fremdrift i prosent (0–100)"),
        ("reported_on", "Dato, om den er en annen enn i arket Skjema"),
        ("summary", "Hvordan går arbeidet?"),
        (
            "respondent",
            "Besvart av, om det er en annen enn i arket Skjema",
        ),
    ],
    form_help: [
        "Strategien skjemaet gjelder",
        "Runden (år eller halvår)",
        "Ansvarlig virksomhet",
        "Datoen statusen gjelder for, for eksempel 30.11.2021",
        "Hvem som svarer: rolle og virksomhet",
    ],
    status_tip: "Velg fra listen. Tom status betyr at initiativet ikke er besvart.",
    progress_tip: "Et helt tall fra 0 til 100.",
    date_tip: "Fyll bare ut om datoen er en annen enn i arket Skjema.",
    date_error: "Datoen må ligge i runden",
    no_earlier: "Ingen tidligere status.",
};

static EN: Words = Words {
    date_format: "yyyy-mm-dd",
    question: [
        ("initiative", "Initiative (id)"),
        ("title", "Title"),
        ("status", "Status"),
        ("progress", "Progress in percent (0–100)"),
        ("reported_on", "Date, if other than on the sheet Skjema"),
        ("summary", "How the work goes"),
        (
            "respondent",
            "Answered by, if other than on the sheet Skjema",
        ),
    ],
    form_help: [
        "The strategy the form is for",
        "The round (a year or a half-year)",
        "The responsible agency",
        "The day the status holds for, e.g. 2021-11-30",
        "Who answers: role and agency",
    ],
    status_tip: "Choose from the list. An empty status means the initiative is not answered.",
    progress_tip: "A whole number from 0 to 100.",
    date_tip: "Fill in only if the day is another than on the sheet Skjema.",
    date_error: "The day must lie in the round",
    no_earlier: "No earlier status.",
};

impl Words {
    fn of(lang: Lang) -> &'static Words {
        match lang {
            Lang::Nb => &NB,
            Lang::En => &EN,
        }
    }

    /// Row 2 of the Status sheet: the question each column answers.
    fn question(&self, l: &Labels, key: &str) -> &'static str {
        self.question
            .iter()
            .find(|(k, _)| *k == key)
            .map_or_else(|| l.question(key), |(_, q)| q)
    }
}

/// Column widths of the Status sheet, in characters, by key.
fn width(key: &str) -> f64 {
    match key {
        "initiative" => 26.0,
        "title" => 40.0,
        "status" => 16.0,
        "progress" => 14.0,
        "reported_on" => 16.0,
        "respondent" => 28.0,
        _ => 50.0,
    }
}

/// Excel keeps at most 32,767 characters in a cell: longer text is shortened, visibly.
fn cell_text(s: &str) -> String {
    const MAX: usize = 32_767;
    if s.chars().count() <= MAX {
        return s.to_string();
    }
    let mut t: String = s.chars().take(MAX - 1).collect();
    t.push('…');
    t
}

fn excel_day(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let (m, day) = (d.month() as u8, d.day() as u8);
    ExcelDateTime::from_ymd(u16::try_from(d.year()).unwrap_or(1900), m, day)
}

/// The formats a form uses.
struct Formats {
    key: Format,
    question: Format,
    locked: Format,
    locked_wrap: Format,
    input: Format,
    input_wrap: Format,
    input_day: Format,
    day: Format,
}

impl Formats {
    fn new(words: &Words) -> Self {
        let top = Format::new().set_align(FormatAlign::Top);
        let input = top.clone().set_unlocked().set_background_color(0xFFF9E5);
        Formats {
            key: top.clone().set_bold().set_font_color(0x595959),
            question: top.clone().set_bold().set_text_wrap(),
            locked: top.clone(),
            locked_wrap: top.clone().set_text_wrap(),
            input_wrap: input.clone().set_text_wrap(),
            input_day: input.clone().set_num_format(words.date_format),
            input,
            day: top.set_unlocked().set_num_format(words.date_format),
        }
    }
}

/// A wide sheet printed as it is read: landscape, A4, all columns on one page's width.
fn printable(sheet: &mut Worksheet) {
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_print_gridlines(true);
}

/// Sheets an owner may resize and read, but where only the unlocked cells take input.
fn protect(sheet: &mut Worksheet) {
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    sheet.protect_with_options(&options);
}

fn workbook(forms: &RoundForms, o: &OwnerRound<'_>, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let (l, w) = (lang.labels(), Words::of(lang));
    let f = Formats::new(w);
    let mut book = Workbook::new();
    guide(book.add_worksheet(), forms, o, lang)?;
    form_sheet(book.add_worksheet(), forms, o, w, &f)?;
    status_sheet(book.add_worksheet(), forms.round, o, l, w, &f)?;
    previous_sheet(book.add_worksheet(), o, l, w, &f)?;
    book.save_to_buffer()
}

fn form_sheet(
    sheet: &mut Worksheet,
    forms: &RoundForms,
    o: &OwnerRound<'_>,
    w: &Words,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(FORM_SHEET)?;
    sheet.set_column_width(0, 14)?;
    sheet.set_column_width(1, 36)?;
    sheet.set_column_width(2, 60)?;
    printable(sheet);
    let round = forms.round.to_string();
    let owner_help = format!("{}: {}", w.form_help[2], o.name);
    let help = [
        w.form_help[0],
        w.form_help[1],
        &owner_help,
        w.form_help[3],
        w.form_help[4],
    ];
    for (row, key) in crate::parse::xlsx::FORM_KEYS.iter().enumerate() {
        let row = row as u32;
        sheet.write_string_with_format(row, 0, *key, &f.key)?;
        sheet.write_string_with_format(row, 2, cell_text(help[row as usize]), &f.locked_wrap)?;
        match *key {
            "strategy" => sheet.write_string_with_format(row, 1, &forms.strategy_id, &f.locked)?,
            "round" => sheet.write_string_with_format(row, 1, &round, &f.locked)?,
            "owner" => sheet.write_string_with_format(row, 1, o.owner, &f.locked)?,
            "reported_on" => {
                sheet.add_data_validation(row, 1, row, 1, &date_rule(forms.round, w)?)?;
                sheet.write_blank(row, 1, &f.input_day)?
            }
            _ => sheet.write_blank(row, 1, &f.input)?,
        };
    }
    protect(sheet);
    Ok(())
}

/// A day inside the round.
fn date_rule(round: PeriodSpec, w: &Words) -> Result<DataValidation, XlsxError> {
    let (first, last) = (round.first_day(), round.last_day());
    let show = |d: NaiveDate| match w.date_format {
        "dd.mm.yyyy" => d.format("%d.%m.%Y").to_string(),
        _ => d.to_string(),
    };
    DataValidation::new()
        .allow_date(DataValidationRule::Between(
            excel_day(first)?,
            excel_day(last)?,
        ))
        .set_input_message(w.date_tip)?
        .set_error_message(format!(
            "{} {round}: {}–{}.",
            w.date_error,
            show(first),
            show(last)
        ))
}

fn status_sheet(
    sheet: &mut Worksheet,
    round: PeriodSpec,
    o: &OwnerRound<'_>,
    l: &Labels,
    w: &Words,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(STATUS_SHEET)?;
    for (col, key) in STATUS_COLUMNS.iter().enumerate() {
        let col = col as u16;
        sheet.set_column_width(col, width(key))?;
        sheet.write_string_with_format(0, col, *key, &f.key)?;
        sheet.write_string_with_format(1, col, w.question(l, key), &f.question)?;
    }
    sheet.set_freeze_panes(HEADER_ROWS, 2)?;
    sheet.set_row_height(1, 48)?;
    sheet.set_repeat_rows(0, HEADER_ROWS - 1)?;
    printable(sheet);
    let rows = o.initiatives.len() as u32;
    let col = |key: &str| STATUS_COLUMNS.iter().position(|k| *k == key).unwrap_or(0) as u16;
    if rows > 0 {
        let (first, last) = (HEADER_ROWS, HEADER_ROWS + rows - 1);
        let words: Vec<&str> = Status::ALL.iter().map(|s| l.status(Some(*s))).collect();
        let status = DataValidation::new()
            .allow_list_strings(&words)?
            .set_input_message(w.status_tip)?;
        sheet.add_data_validation(first, col("status"), last, col("status"), &status)?;
        let progress = DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(0, 100))
            .set_input_message(w.progress_tip)?;
        sheet.add_data_validation(first, col("progress"), last, col("progress"), &progress)?;
        let day = col("reported_on");
        sheet.add_data_validation(first, day, last, day, &date_rule(round, w)?)?;
    }
    for (i, (initiative, _)) in o.initiatives.iter().enumerate() {
        let row = HEADER_ROWS + i as u32;
        sheet.set_row_height(row, 45)?;
        for (c, key) in STATUS_COLUMNS.iter().enumerate() {
            let c = c as u16;
            match *key {
                "initiative" => {
                    sheet.write_string_with_format(row, c, &initiative.id, &f.locked)?
                }
                "title" => sheet.write_string_with_format(
                    row,
                    c,
                    cell_text(&initiative.title),
                    &f.locked_wrap,
                )?,
                "reported_on" => sheet.write_blank(row, c, &f.input_day)?,
                "status" | "progress" | "respondent" => sheet.write_blank(row, c, &f.input)?,
                _ => sheet.write_blank(row, c, &f.input_wrap)?,
            };
        }
    }
    protect(sheet);
    sheet.set_active(true);
    Ok(())
}

/// What each initiative reported last, in the Status sheet's columns, to copy forward. Not
/// read back; its cells are unlocked so that what is copied from it stays editable.
fn previous_sheet(
    sheet: &mut Worksheet,
    o: &OwnerRound<'_>,
    l: &Labels,
    w: &Words,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(PREVIOUS_SHEET)?;
    for (col, key) in STATUS_COLUMNS.iter().enumerate() {
        let col = col as u16;
        sheet.set_column_width(col, width(key))?;
        let heading = match *key {
            "reported_on" => l.reported_on,
            "respondent" => l.respondent,
            _ => w.question(l, key),
        };
        sheet.write_string_with_format(0, col, heading, &f.question)?;
    }
    sheet.set_freeze_panes(1, 2)?;
    sheet.set_row_height(0, 48)?;
    sheet.set_repeat_rows(0, 0)?;
    printable(sheet);
    let plain = Format::new().set_align(FormatAlign::Top).set_unlocked();
    let wrap = plain.clone().set_text_wrap();
    for (i, (initiative, last)) in o.initiatives.iter().enumerate() {
        let row = 1 + i as u32;
        sheet.write_string_with_format(row, 0, &initiative.id, &plain)?;
        sheet.write_string_with_format(row, 1, cell_text(&initiative.title), &wrap)?;
        let Some(u) = last else {
            sheet.write_string_with_format(row, 2, w.no_earlier, &plain)?;
            continue;
        };
        previous_row(sheet, row, u, l, f, &plain, &wrap)?;
    }
    Ok(())
}

fn previous_row(
    sheet: &mut Worksheet,
    row: u32,
    u: &Update,
    l: &Labels,
    f: &Formats,
    plain: &Format,
    wrap: &Format,
) -> Result<(), XlsxError> {
    for (c, key) in STATUS_COLUMNS.iter().enumerate().skip(2) {
        let c = c as u16;
        match *key {
            "status" => {
                sheet.write_string_with_format(row, c, l.status(Some(u.status)), plain)?;
            }
            "progress" => {
                if let Some(p) = u.progress {
                    sheet.write_number_with_format(row, c, p, plain)?;
                }
            }
            "reported_on" => {
                sheet.write_datetime_with_format(row, c, excel_day(u.reported_on)?, &f.day)?;
            }
            "respondent" => {
                if let Some(r) = &u.respondent {
                    sheet.write_string_with_format(row, c, cell_text(r), wrap)?;
                }
            }
            field if Answers::FIELDS.contains(&field) => {
                if let Some(text) = u.answers.get(field) {
                    sheet.write_string_with_format(row, c, cell_text(text), wrap)?;
                }
            }
            _ => {}
        }
    }
    sheet.set_row_height(row, 60)?;
    Ok(())
}

/// How to fill the form in, in plain bokmål (and, for an English form, in English first).
fn guide(
    sheet: &mut Worksheet,
    forms: &RoundForms,
    o: &OwnerRound<'_>,
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(crate::forms::xlsx::GUIDE_SHEET)?;
    sheet.set_column_width(0, 100)?;
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new().set_bold();
    let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let mut row = 0;
    let mut put = |s: &str, format: &Format| -> Result<(), XlsxError> {
        sheet.write_string_with_format(row, 0, cell_text(s), format)?;
        // Spreadsheets do not grow a row to its wrapped text on their own.
        let lines = s.chars().count().div_ceil(95).max(1);
        sheet.set_row_height(row, 15 * lines.min(400) as u32 + 3)?;
        row += 1;
        Ok(())
    };
    let mut parts = vec![];
    if lang == Lang::En {
        parts.push(english(forms, o));
    }
    parts.push(bokmal(forms, o));
    for part in parts {
        for (i, line) in part.iter().enumerate() {
            let format = match (i, line.strip_prefix("## ")) {
                (0, _) => &title,
                (_, Some(_)) => &head,
                _ => &text,
            };
            put(line.strip_prefix("## ").unwrap_or(line), format)?;
        }
        put("", &text)?;
    }
    sheet.protect();
    Ok(())
}

fn bokmal(forms: &RoundForms, o: &OwnerRound<'_>) -> Vec<String> {
    let round = forms.round;
    let (first, last) = (round.first_day(), round.last_day());
    let d = |d: NaiveDate| d.format("%d.%m.%Y").to_string();
    vec![
        format!("Statusskjema {round} – {}", forms.strategy_title),
        format!("Ansvarlig virksomhet: {}", o.name),
        "## Slik fyller dere ut skjemaet".into(),
        format!(
            "1. I arket «Skjema» skriver dere datoen statusen gjelder for (en dag fra og med {} til og med {}, for eksempel {}) og hvem som svarer (rolle og virksomhet).",
            Lang::Nb.day(first),
            Lang::Nb.day(last),
            d(super::example_day(round))
        ),
        "2. I arket «Status» har hvert initiativ sin rad. Velg status fra listen i kolonnen «status». Fremdrift skriver dere som et helt tall fra 0 til 100 (prosent).".into(),
        "3. Svar kort på spørsmålene i kolonnene til høyre. Et tomt svar regnes som ikke besvart.".into(),
        "4. En rad uten status blir ikke lest inn. Initiativer dere ikke rapporterer på, lar dere stå tomme.".into(),
        "5. Dato og «besvart av» på en rad fyller dere bare ut når de er andre enn i arket «Skjema».".into(),
        "6. Arket «Forrige runde» viser hva dere svarte sist. Kopier gjerne tekst derfra og oppdater den.".into(),
        "7. Ikke endre rad 1 og 2 i «Status» eller kolonne A i «Skjema»: de forteller programmet hva som står hvor. Ikke slå sammen celler, og skriv verdiene direkte, ikke som formler.".into(),
        "8. Lagre som Excel-arbeidsbok (.xlsx) og send filen tilbake til programkontoret. Filnavnet kan stå som det er.".into(),
        "## Statusverdiene".into(),
        "ikke startet – arbeidet er ikke kommet i gang".into(),
        "i rute – arbeidet går som planlagt".into(),
        "risiko – det er fare for at arbeidet blir forsinket eller ikke når målet".into(),
        "forsinket – arbeidet er forsinket".into(),
        "ferdigstilt – arbeidet er fullført".into(),
        "pause – arbeidet er stanset for en periode".into(),
        "avbrutt – arbeidet er avsluttet uten å bli fullført".into(),
    ]
}

fn english(forms: &RoundForms, o: &OwnerRound<'_>) -> Vec<String> {
    let round = forms.round;
    vec![
        format!("Status form {round} – {}", forms.strategy_title),
        format!("Responsible agency: {}", o.name),
        "## How to fill in the form".into(),
        format!(
            "1. On the sheet «Skjema», write the day the status holds for (between {} and {}, e.g. {}) and who answers (role and agency).",
            round.first_day(),
            round.last_day(),
            super::example_day(round)
        ),
        "2. On the sheet «Status», each initiative has its row. Choose a status from the list in the column «status». Progress is a whole number from 0 to 100 (percent).".into(),
        "3. Answer the questions in the columns to the right briefly. An empty answer counts as not answered.".into(),
        "4. A row without a status is not read. Leave the initiatives you do not report on empty.".into(),
        "5. Fill in a row's date and «answered by» only when they differ from the sheet «Skjema».".into(),
        "6. The sheet «Forrige runde» shows what you answered last time: copy from it and update.".into(),
        "7. Do not change rows 1 and 2 of «Status» or column A of «Skjema»: they tell the program what is where. Do not merge cells, and write values, not formulas.".into(),
        "8. Save as an Excel workbook (.xlsx) and send the file back to the programme office.".into(),
        "(Veiledningen på bokmål står nedenfor.)".into(),
    ]
}
