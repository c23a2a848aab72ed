#include "jsonpage.h"

#include "formatting.h"

#include <QAction>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace tfjs::ui {

namespace {
constexpr qsizetype kSlice = 4 * 1024;  // characters appended at a time
constexpr qint64 kTurnBudgetMs = 5;    // appending stops for this event-loop turn after this
constexpr int kMaxHighlights = 2000;
} // namespace

JsonPage::JsonPage(QWidget *parent) : QWidget(parent)
{
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search the JSON (Enter: next, Shift+Enter: previous)"));
    m_search->setClearButtonEnabled(true);
    auto *previous = new QToolButton(this);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Previous match"));
    auto *next = new QToolButton(this);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match"));
    m_matches = new QLabel(this);
    m_note = new QLabel(this);
    m_note->setStyleSheet(QStringLiteral("color: #666;"));
    m_indent = new QCheckBox(tr("&Indent"), this);
    m_indent->setToolTip(tr("Show the JSON indented; untick to see the file as it is"));
    m_indent->setEnabled(false);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    bar->addWidget(previous);
    bar->addWidget(next);
    bar->addWidget(m_matches);
    bar->addWidget(m_note);
    bar->addWidget(m_indent);

    m_editor = new QPlainTextEdit(this);
    m_editor->setReadOnly(true);
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_editor->setPlaceholderText(tr("Open a model to see its JSON."));
    m_editor->setUndoRedoEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_editor, 1);

    m_feeder = new QTimer(this);
    m_feeder->setInterval(0);
    connect(m_feeder, &QTimer::timeout, this, &JsonPage::appendSlice);
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        findNext(QGuiApplication::keyboardModifiers() & Qt::ShiftModifier);
    });
    connect(m_search, &QLineEdit::textChanged, this, &JsonPage::highlightAll);
    connect(m_indent, &QCheckBox::toggled, this, &JsonPage::indentToggled);
    connect(next, &QToolButton::clicked, this, [this] { findNext(false); });
    connect(previous, &QToolButton::clicked, this, [this] { findNext(true); });
    auto *find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, this, [this] { m_search->setFocus(); m_search->selectAll(); });
    addAction(find);
}

void JsonPage::clear()
{
    m_feeder->stop();
    m_pending.clear();
    m_fed = 0;
    m_editor->clear();
    m_note->clear();
    m_matches->clear();
    m_indent->setEnabled(false);
}

void JsonPage::setJson(const QString &text, const QString &note)
{
    clear();
    m_pending = text;
    m_note->setText(note);
    if (m_pending.size() <= kSlice) {
        m_editor->setPlainText(m_pending);
        m_pending.clear();
        highlightAll();
        emit loaded();
        return;
    }
    m_feeder->start();
}

void JsonPage::setIndentChoice(bool indented, bool canChoose, const QString &why)
{
    const QSignalBlocker blocker(m_indent);
    m_indent->setChecked(indented);
    m_indent->setEnabled(canChoose);
    m_indent->setToolTip(canChoose ? tr("Show the JSON indented; untick to see the file as it is") : why);
}

bool JsonPage::isLoading() const
{
    return m_feeder->isActive();
}

void JsonPage::appendSlice()
{
    QElapsedTimer clock;
    clock.start();
    QTextCursor cursor(m_editor->document());
    cursor.movePosition(QTextCursor::End);
    while (m_fed < m_pending.size() && clock.elapsed() < kTurnBudgetMs) {
        qsizetype end = std::min(m_pending.size(), m_fed + kSlice);
        if (end < m_pending.size()) { // cut after a newline so blocks stay whole
            const qsizetype newline = m_pending.lastIndexOf(QLatin1Char('\n'), end - 1);
            if (newline > m_fed)
                end = newline + 1;
        }
        cursor.insertText(m_pending.mid(m_fed, end - m_fed));
        m_fed = end;
    }
    if (m_fed >= m_pending.size()) {
        m_feeder->stop();
        m_pending.clear();
        m_fed = 0;
        m_editor->moveCursor(QTextCursor::Start);
        highlightAll();
        emit loaded();
    }
}

bool JsonPage::findNext(bool backward)
{
    const QString needle = m_search->text();
    if (needle.isEmpty())
        return false;
    QTextDocument::FindFlags flags;
    if (backward)
        flags |= QTextDocument::FindBackward;
    if (m_editor->find(needle, flags))
        return true;
    // Wrap around.
    QTextCursor cursor = m_editor->textCursor();
    cursor.movePosition(backward ? QTextCursor::End : QTextCursor::Start);
    m_editor->setTextCursor(cursor);
    return m_editor->find(needle, flags);
}

void JsonPage::highlightAll()
{
    QList<QTextEdit::ExtraSelection> selections;
    const QString needle = m_search->text();
    if (needle.isEmpty() || isLoading()) {
        m_editor->setExtraSelections(selections);
        m_matches->clear();
        return;
    }
    QTextDocument *document = m_editor->document();
    QTextCursor cursor(document);
    int count = 0;
    QTextCharFormat format;
    format.setBackground(QColor(0xff, 0xe0, 0x70));
    while (true) {
        cursor = document->find(needle, cursor);
        if (cursor.isNull())
            break;
        if (++count <= kMaxHighlights)
            selections.append({cursor, format});
        else
            break;
    }
    m_editor->setExtraSelections(selections);
    m_matches->setText(count > kMaxHighlights ? tr("%1+ matches").arg(kMaxHighlights)
                                               : countOf(count, tr("match"), tr("matches")));
    if (count > 0 && !m_editor->textCursor().hasSelection())
        findNext(false);
}

} // namespace tfjs::ui
