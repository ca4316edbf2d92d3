//! Every label of the window, in both languages, in one table.

/// A label of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum L {
    /// Settings were saved.
    SavedAlready,
    /// Settings apply when changed.
    ChangesApplyAtOnce,
    /// What retention counts.
    RetentionCountsFirstAnswers,
    /// An empty plot.
    NoReviewsYet,
    /// The whole history is still being read.
    ReadingTheHistory,
    /// Figures over the whole history are being made.
    Counting,
    /// A search is running.
    Searching,
    /// Drill counted as reviews: what it does.
    DrillAnswersChangeTheSchedule,
    /// Notice after an undo outside a session.
    UndoneAnswer,
    /// Notice after burying.
    BuriedUntilTomorrow,
    /// Notice after answers came from other devices.
    AnswersFromOtherDevices,
    /// Settings: the sync folder.
    SyncFolder,
    /// Drill: when the lab is.
    LabAt,
    /// Drill: days from now.
    DaysFromNow,
    /// Drill: hour of the day.
    OClock,
    /// Drill: what the readiness figures are.
    ReadinessExplained,
    /// Drill: drill the chosen cards for a target.
    DrillTo,
    /// Drill: a target out of reach by drilling now.
    OutOfReach,
    /// Drill: drill every card that gains (90 % out of reach).
    DrillAll,
    /// Drill: why 90 % is out of reach, and what to do.
    NinetyOutOfReach,
    /// Settings: no sync folder.
    NoSyncFolder,
    /// The key that starts or reveals.
    SpaceKey,
    /// Again
    Again,
    /// Hard
    Hard,
    /// Good
    Good,
    /// Easy
    Easy,
    /// Home
    Home,
    /// Drill
    Drill,
    /// Weak topics
    WeakTopics,
    /// Browse
    Browse,
    /// Settings
    Settings,
    /// review
    Review,
    /// drill
    Drill2,
    /// drill (counted)
    DrillCounted,
    /// undo
    Undo,
    /// suspended
    Suspended,
    /// unsuspended
    Unsuspended,
    /// buried
    Buried,
    /// undone
    Undone,
    /// All chapters
    AllChapters,
    /// Chapter
    Chapter,
    /// All
    All,
    /// New
    New,
    /// Learning
    Learning,
    /// Review
    Review2,
    /// Suspended
    Suspended2,
    /// Leech
    Leech,
    /// Search (question, answer)
    SearchQuestionAnswer,
    /// Back to the notes' chapter
    BackToTheNotesChapter,
    /// (set by hand)
    SetByHand,
    /// Suspend
    Suspend,
    /// Unsuspend
    Unsuspend,
    /// Bury until tomorrow
    BuryUntilTomorrow,
    /// History
    History,
    /// due
    Due,
    /// Pick chapters to drill
    PickChaptersToDrill,
    /// Weakest first
    WeakestFirst,
    /// Note order
    NoteOrder,
    /// Random
    Random,
    /// Count as reviews (changes the SM-2 schedule)
    CountAsReviewsChangesTheSM,
    /// By default the schedule is not changed
    ByDefaultTheScheduleIsNot,
    /// Start drill
    StartDrill,
    /// Due
    Due2,
    /// Done
    Done,
    /// Start review
    StartReview,
    /// All done for today!
    AllDoneForToday,
    /// Streak
    Streak,
    ///  days
    Days,
    /// cards are unclassified (00) — set their chapter in Browse.
    CardsAreUnclassified00SetTheir,
    /// Keys: Space/Enter reveal · 1 Again · 2 Hard · 3 Good · 4 Easy · Ctrl+Z undo
    KeysSpaceEnterReveal1Again,
    /// Session complete
    SessionComplete,
    /// Home
    Home2,
    /// Undo
    Undo2,
    /// Drill — counted as reviews
    DrillCountedAsReviews,
    /// Drill — the schedule is not changed
    DrillTheScheduleIsNotChanged,
    /// Show answer (Space)
    ShowAnswerSpace,
    /// Undo (Ctrl+Z)
    UndoCtrlZ,
    /// Leech
    Leech2,
    /// New cards per day
    NewCardsPerDay,
    /// Reviews per day
    ReviewsPerDay,
    /// Day starts at (hour)
    DayStartsAtHour,
    /// Theme
    Theme,
    /// Dark
    Dark,
    /// Light
    Light,
    /// Text size
    TextSize,
    /// Language
    Language,
    /// Notes folder
    NotesFolder,
    /// Now:
    Now,
    /// Reading deck files (--decks).
    ReadingDeckFilesDecks,
    /// Use this folder
    UseThisFolder,
    /// Choose…
    Choose,
    /// Bundled examples
    BundledExamples,
    /// Saving a note updates its cards at once; a card keeps its history while its question stays the same or is lightly edited.
    SavingANoteUpdatesItsCards,
    /// Cards
    Cards,
    /// Retention 30d
    Retention30d,
    /// Lapses
    Lapses,
    /// Avg ease
    AvgEase,
    /// Leeches
    Leeches,
    /// Weakness
    Weakness,
    /// Click a chapter to drill it
    ClickAChapterToDrillIt,
    /// Reviews per day (30 days)
    ReviewsPerDay30Days,
    /// Due in the next 30 days
    DueInTheNext30Days,
    /// Retention per chapter
    RetentionPerChapter,
}

impl L {
    /// The label in Korean and in English.
    pub fn ko_en(self) -> (&'static str, &'static str) {
        match self {
            L::SavedAlready => ("✓ 저장했습니다", "✓ Saved"),
            L::ChangesApplyAtOnce => (
                "바꾸면 바로 적용되고 저장됩니다",
                "Changes apply at once and are saved",
            ),
            L::RetentionCountsFirstAnswers => (
                "지난 30일, 카드마다 하루의 첫 답만 셉니다 (Anki와 같이). 어려움 이상이면 기억한 것으로 봅니다.",
                "Last 30 days, each card's first answer of a day only (as Anki counts); Hard or better counts as remembered.",
            ),
            L::NoReviewsYet => ("아직 기록이 없습니다", "No reviews yet"),
            L::ReadingTheHistory => ("복습 기록을 읽는 중…", "Reading the review history…"),
            L::Counting => ("기록을 집계하는 중…", "Counting the reviews…"),
            L::Searching => ("찾는 중…", "Searching…"),
            L::DrillAnswersChangeTheSchedule => (
                "연습한 답이 복습 일정에 반영됩니다 (오늘 이미 답한 카드는 그대로)",
                "Drill answers change the schedule (cards answered today keep theirs)",
            ),
            L::UndoneAnswer => ("답을 되돌렸습니다", "Answer undone"),
            L::BuriedUntilTomorrow => (
                "내일까지 미뤘습니다. 내일 다시 나옵니다.",
                "Buried until tomorrow: it comes back then.",
            ),
            L::AnswersFromOtherDevices => (
                "다른 기기에서 한 답을 가져왔습니다",
                "Answers made on other devices were taken in",
            ),
            L::SyncFolder => ("동기화 폴더", "Sync folder"),
            L::LabAt => ("실습·시험 시각", "Lab at"),
            L::DaysFromNow => ("일 뒤", "days from now,"),
            L::OClock => ("시", "o'clock"),
            L::ReadinessExplained => (
                "챕터마다 지금 기억할 비율 → 그때 기억할 비율 (예측). 버튼은 그때 90%·95%에 닿는 가장 적은 카드만 연습합니다. 한 번도 답하지 않은 카드는 모르는 것으로 셉니다.",
                "Per chapter: the share recalled now → then (predicted). The buttons drill the fewest cards that reach 90% / 95% then. Cards never answered count as not known.",
            ),
            L::DrillTo => ("연습:", "drill to"),
            L::OutOfReach => ("지금 연습으로는 닿지 않음", "out of reach by drilling now"),
            L::DrillAll => ("모두 연습:", "drill all:"),
            L::NinetyOutOfReach => (
                "90%는 지금 연습으로는 닿지 않습니다: 모두 연습하면 그때 이만큼 기억합니다. 실습 시간에 더 가까이 한 번 더 연습하세요.",
                "90% is out of reach by drilling now: drilling them all gives this much then. Drill once more closer to the lab.",
            ),
            L::NoSyncFolder => (
                "없음 — `bokseup sync 폴더` 로 정합니다 (Syncthing, Dropbox, git 등이 공유하는 폴더)",
                "None — set one with `bokseup sync FOLDER` (a folder Syncthing, Dropbox, git… share)",
            ),
            L::SpaceKey => ("Space", "Space"),
            L::Again => ("다시", "Again"),
            L::Hard => ("어려움", "Hard"),
            L::Good => ("좋음", "Good"),
            L::Easy => ("쉬움", "Easy"),
            L::Home => ("홈", "Home"),
            L::Drill => ("챕터 연습", "Drill"),
            L::WeakTopics => ("약한 주제", "Weak topics"),
            L::Browse => ("카드 찾기", "Browse"),
            L::Settings => ("설정", "Settings"),
            L::Review => ("복습", "review"),
            L::Drill2 => ("연습", "drill"),
            L::DrillCounted => ("연습(기록)", "drill (counted)"),
            L::Undo => ("되돌리기", "undo"),
            L::Suspended => ("보류", "suspended"),
            L::Unsuspended => ("보류 해제", "unsuspended"),
            L::Buried => ("내일로 미룸", "buried"),
            L::Undone => ("되돌림", "undone"),
            L::AllChapters => ("모든 챕터", "All chapters"),
            L::Chapter => ("챕터", "Chapter"),
            L::All => ("전체", "All"),
            L::New => ("새 카드", "New"),
            L::Learning => ("학습 중", "Learning"),
            L::Review2 => ("복습", "Review"),
            L::Suspended2 => ("보류됨", "Suspended"),
            L::Leech => ("거머리", "Leech"),
            L::SearchQuestionAnswer => ("검색 (질문·답)", "Search (question, answer)"),
            L::BackToTheNotesChapter => ("노트의 챕터로 되돌리기", "Back to the notes' chapter"),
            L::SetByHand => ("(직접 정함)", "(set by hand)"),
            L::Suspend => ("보류", "Suspend"),
            L::Unsuspend => ("보류 해제", "Unsuspend"),
            L::BuryUntilTomorrow => ("내일로 미루기", "Bury until tomorrow"),
            L::History => ("기록", "History"),
            L::Due => ("다음", "due"),
            L::PickChaptersToDrill => ("연습할 챕터를 고르세요", "Pick chapters to drill"),
            L::WeakestFirst => ("약한 카드부터", "Weakest first"),
            L::NoteOrder => ("노트 순서", "Note order"),
            L::Random => ("무작위", "Random"),
            L::CountAsReviewsChangesTheSM => (
                "복습으로 기록 (SM-2 일정 변경)",
                "Count as reviews (changes the SM-2 schedule)",
            ),
            L::ByDefaultTheScheduleIsNot => (
                "기본: 복습 일정은 바뀌지 않습니다",
                "By default the schedule is not changed",
            ),
            L::StartDrill => ("연습 시작", "Start drill"),
            L::Due2 => ("복습", "Due"),
            L::Done => ("완료", "Done"),
            L::StartReview => ("복습 시작", "Start review"),
            L::AllDoneForToday => ("오늘 복습 끝!", "All done for today!"),
            L::Streak => ("연속 학습", "Streak"),
            L::Days => ("일", " days"),
            L::CardsAreUnclassified00SetTheir => (
                "장의 카드가 미분류(00)입니다 — 카드 찾기에서 챕터를 정할 수 있습니다.",
                "cards are unclassified (00) — set their chapter in Browse.",
            ),
            L::KeysSpaceEnterReveal1Again => (
                "키: Space/Enter 답 보기 · 1 다시 · 2 어려움 · 3 좋음 · 4 쉬움 · Ctrl+Z 되돌리기",
                "Keys: Space/Enter reveal · 1 Again · 2 Hard · 3 Good · 4 Easy · Ctrl+Z undo",
            ),
            L::SessionComplete => ("세션 끝", "Session complete"),
            L::Home2 => ("홈으로", "Home"),
            L::Undo2 => ("되돌리기", "Undo"),
            L::DrillCountedAsReviews => (
                "챕터 연습 — 복습으로 기록됨 (일정이 바뀝니다)",
                "Drill — counted as reviews",
            ),
            L::DrillTheScheduleIsNotChanged => (
                "챕터 연습 — 복습 일정은 바뀌지 않습니다",
                "Drill — the schedule is not changed",
            ),
            L::ShowAnswerSpace => ("답 보기 (Space)", "Show answer (Space)"),
            L::UndoCtrlZ => ("되돌리기 (Ctrl+Z)", "Undo (Ctrl+Z)"),
            L::Leech2 => ("거머리 카드 (자주 잊음)", "Leech"),
            L::NewCardsPerDay => ("하루 새 카드", "New cards per day"),
            L::ReviewsPerDay => ("하루 복습 한도", "Reviews per day"),
            L::DayStartsAtHour => ("하루 시작 시각", "Day starts at (hour)"),
            L::Theme => ("테마", "Theme"),
            L::Dark => ("어둡게", "Dark"),
            L::Light => ("밝게", "Light"),
            L::TextSize => ("글자 크기", "Text size"),
            L::Language => ("언어", "Language"),
            L::NotesFolder => ("노트 폴더", "Notes folder"),
            L::Now => ("지금:", "Now:"),
            L::ReadingDeckFilesDecks => (
                "덱 파일에서 읽는 중입니다 (--decks).",
                "Reading deck files (--decks).",
            ),
            L::UseThisFolder => ("이 폴더 사용", "Use this folder"),
            L::Choose => ("폴더 선택…", "Choose…"),
            L::BundledExamples => ("예제 노트로", "Bundled examples"),
            L::SavingANoteUpdatesItsCards => (
                "노트를 저장하면 카드가 곧바로 바뀝니다. 카드의 복습 기록은 질문이 같거나 조금 고쳐졌으면 그대로 남습니다.",
                "Saving a note updates its cards at once; a card keeps its history while its question stays the same or is lightly edited.",
            ),
            L::Cards => ("카드", "Cards"),
            L::Retention30d => ("기억률(30일)", "Retention 30d"),
            L::Lapses => ("잊음", "Lapses"),
            L::AvgEase => ("평균 용이도(EF)", "Avg ease (EF)"),
            L::Leeches => ("거머리", "Leeches"),
            L::Weakness => ("약함", "Weakness"),
            L::ClickAChapterToDrillIt => (
                "챕터를 누르면 바로 연습합니다",
                "Click a chapter to drill it",
            ),
            L::ReviewsPerDay30Days => ("하루 복습 수 (30일)", "Reviews per day (30 days)"),
            L::DueInTheNext30Days => ("앞으로 30일 복습 예정", "Due in the next 30 days"),
            L::RetentionPerChapter => ("챕터별 기억률", "Retention per chapter"),
        }
    }

    /// The label in `lang` (`ko` or `en`).
    pub fn text(self, english: bool) -> &'static str {
        let (ko, en) = self.ko_en();
        if english { en } else { ko }
    }
}

/// When a card comes back, worded in the window's language (`1일` / `1d`).
pub fn until_text(u: crate::schedule::Until, english: bool) -> String {
    use crate::schedule::Until;
    let days = match u {
        Until::ThisSession => return if english { "<1m" } else { "<1분" }.to_string(),
        Until::Days(d) => d,
    };
    match (days, english) {
        (0, false) => "오늘".to_string(),
        (0, true) => "today".to_string(),
        (1..=30, false) => format!("{days}일"),
        (1..=30, true) => format!("{days}d"),
        (31..=364, false) => format!("{:.1}개월", days as f64 / 30.0),
        (31..=364, true) => format!("{:.1}mo", days as f64 / 30.0),
        (_, false) => format!("{:.1}년", days as f64 / 365.0),
        (_, true) => format!("{:.1}y", days as f64 / 365.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Until;

    #[test]
    fn intervals_are_worded_in_each_language() {
        assert_eq!(until_text(Until::Days(1), false), "1일");
        assert_eq!(until_text(Until::Days(1), true), "1d");
        assert_eq!(until_text(Until::ThisSession, true), "<1m");
        assert_eq!(until_text(Until::Days(90), true), "3.0mo");
        assert_eq!(until_text(Until::Days(730), false), "2.0년");
    }
}
