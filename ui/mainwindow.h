#pragma once

#include <QMainWindow>

class QLabel;
class QPlainTextEdit;

namespace tfjs::ui {

// The first window: opens a model through core's registry (in a Job) and shows its overview.
// The full browser/inspector grows from here.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);
    void openModel(const QString &url);

private:
    QPlainTextEdit *m_view = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace tfjs::ui
