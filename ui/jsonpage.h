#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTimer;

namespace tfjs::ui {

// The JSON tab: the model JSON file as it is, or indented, read-only, with incremental search.
// Large text is put into the editor a slice per event-loop turn so the window stays
// responsive. The owner produces the text; the Indent box asks it for the other form.
class JsonPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JsonPage)

public:
    explicit JsonPage(QWidget *parent = nullptr);

    void setJson(const QString &text, const QString &note = {});
    // The Indent box's state (no indentToggled()), whether the user may change it, and why not.
    void setIndentChoice(bool indented, bool canChoose, const QString &why = {});
    void clear();
    // Finds the next (or previous) match of the search box's text; false when none.
    bool findNext(bool backward = false);
    bool isLoading() const;

    QPlainTextEdit *editor() const { return m_editor; }
    QLineEdit *searchEdit() const { return m_search; }
    QLabel *matchLabel() const { return m_matches; }
    QCheckBox *indentBox() const { return m_indent; }
    QLabel *noteLabel() const { return m_note; }

signals:
    void loaded();
    void indentToggled(bool indented);

private:
    void appendSlice();
    void highlightAll();

    QPlainTextEdit *m_editor = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_matches = nullptr;
    QLabel *m_note = nullptr;
    QCheckBox *m_indent = nullptr;
    QTimer *m_feeder = nullptr;
    QString m_pending;
    qsizetype m_fed = 0;
};

} // namespace tfjs::ui
