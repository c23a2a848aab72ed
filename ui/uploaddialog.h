#pragma once

#include "modeltarget.h"
#include "upload.h"

#include "base/job.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace tfjs {
class Job;
}

namespace tfjs::ui {

class AppSettings;
class HeadersModel;
class JobTracker;

// Uploads one model (named at the top with its format and size: the opened one, or one chosen
// in the browser, loaded by the upload job) to an HTTP endpoint: URL (recent endpoints offered), POST or PUT,
// a headers table with secret values masked, progress in bytes and rate, Cancel, then the
// server's status and response body. Remembers endpoints and header names; secret values only
// when "Remember secret values" is ticked.
class UploadDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UploadDialog)

public:
    // `registry` loads a model that is not opened yet.
    UploadDialog(ModelTarget model, std::shared_ptr<const HandlerRegistry> registry, JobTracker *jobs,
                 AppSettings *settings, QWidget *parent = nullptr);

    const ModelTarget &model() const { return m_model; }

    UploadRequest request() const;
    bool isUploading() const { return m_job != nullptr; }

    // For tests and callers that fill the form.
    void setUrl(const QString &url);
    void setMethod(const QString &method);
    HeadersModel *headersModel() const { return m_headers; }
    QPushButton *uploadButton() const { return m_upload; }
    QPushButton *cancelButton() const { return m_cancel; }
    QLabel *statusLabel() const { return m_status; }
    QPlainTextEdit *responseView() const { return m_response; }
    QProgressBar *progressBar() const { return m_bar; }

    void startUpload();

signals:
    void uploadFinished(bool ok, int status);

private:
    void rememberSettings();
    void showProgress(const Progress &progress);
    void finish(const Result<UploadAnswer> &reply);

    ModelTarget m_model;
    std::shared_ptr<const HandlerRegistry> m_registry;
    JobTracker *m_jobs;
    AppSettings *m_settings;
    HeadersModel *m_headers = nullptr;
    QComboBox *m_url = nullptr;
    QComboBox *m_method = nullptr;
    QTableView *m_table = nullptr;
    QCheckBox *m_reveal = nullptr;
    QCheckBox *m_rememberSecrets = nullptr;
    QProgressBar *m_bar = nullptr;
    QLabel *m_progressText = nullptr;
    QLabel *m_status = nullptr;
    QPlainTextEdit *m_response = nullptr;
    QPushButton *m_upload = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_close = nullptr;
    QPointer<Job> m_job;
    QElapsedTimer m_clock;
};

} // namespace tfjs::ui
