#pragma once

#include "modeltarget.h"

#include "format/quantize.h"

#include <QDialog>
#include <QPointer>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace tfjs {
class Job;
}

namespace tfjs::ui {

class JobTracker;
class RowTableModel;

// Quantize… for one model (the opened one, or one chosen in the browser, loaded by the job):
// the dtype (uint8, uint16, float16) and the --only/--skip globs of `tfjs-model quantize`, a
// Preview that runs core's quantizeModel as a job that writes nothing (report only) and shows
// each tensor's bytes before -> after and error, with the totals; then Save To… picks a
// destination (the Save To dialog) and hands it over with quantizeRequested: the window runs
// the save as a job under the product's replace rule (ModelCommands::quantize).
class QuantizeDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuantizeDialog)

public:
    // `registry` loads a model that is not opened yet; `lastFolder` starts the Save To dialog.
    QuantizeDialog(ModelTarget model, std::shared_ptr<const HandlerRegistry> registry,
        JobTracker *jobs, QString lastFolder, QWidget *parent = nullptr);

    const ModelTarget &model() const { return m_model; }
    // What the form says: dtype and globs (separated by spaces or commas).
    QuantizeOptions options() const;
    void setDType(QuantDType dtype);
    void setGlobs(const QString &only, const QString &skip);

    void startPreview();
    bool isPreviewing() const { return m_job != nullptr; }
    // Opens the Save To dialog for the destination.
    void chooseDestination();

    // For tests.
    QTableView *table() const { return m_table; }
    RowTableModel *tableModel() const { return m_rows; }
    QLabel *totalsLabel() const { return m_totals; }
    QLabel *statusLabel() const { return m_status; }
    QPushButton *previewButton() const { return m_preview; }
    QPushButton *cancelButton() const { return m_cancel; }

signals:
    // Save the model quantized with `options` at `url`; the dialog has closed.
    void quantizeRequested(const QString &url, const tfjs::QuantizeOptions &options);
    // A preview finished and filled the table.
    void previewShown();

private:
    void showReport(const QuantizeResult &result);
    void previewEnded(const Result<QuantizeResult> &result);

    ModelTarget m_model;
    std::shared_ptr<const HandlerRegistry> m_registry;
    JobTracker *m_jobs;
    QString m_lastFolder;
    QPointer<Job> m_job;
    QComboBox *m_dtype = nullptr;
    QLineEdit *m_only = nullptr;
    QLineEdit *m_skip = nullptr;
    QPushButton *m_preview = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_save = nullptr;
    QProgressBar *m_bar = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_totals = nullptr;
    RowTableModel *m_rows = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace tfjs::ui
