#include "uploaddialog.h"

#include "appsettings.h"
#include "formatting.h"
#include "headersmodel.h"
#include "jobtracker.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace tfjs::ui {

UploadDialog::UploadDialog(ModelTarget model, std::shared_ptr<const HandlerRegistry> registry,
                           JobTracker *jobs, AppSettings *settings, QWidget *parent)
    : QDialog(parent), m_model(std::move(model)), m_registry(std::move(registry)), m_jobs(jobs),
      m_settings(settings)
{
    setWindowTitle(tr("Upload “%1”").arg(m_model.name()));
    m_url = new QComboBox(this);
    m_url->setEditable(true);
    m_url->addItems(settings->uploadEndpoints());
    m_url->lineEdit()->setPlaceholderText(QStringLiteral("https://example.com/upload"));
    m_url->setMinimumWidth(420);
    m_method = new QComboBox(this);
    m_method->addItems({QStringLiteral("POST"), QStringLiteral("PUT")});
    m_method->setCurrentText(settings->uploadMethod());

    auto *form = new QFormLayout;
    auto *modelLabel = new QLabel(m_model.description(), this);
    modelLabel->setObjectName(QStringLiteral("modelLabel"));
    modelLabel->setTextFormat(Qt::PlainText);
    modelLabel->setWordWrap(true);
    form->addRow(tr("Model:"), modelLabel);
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Method:"), m_method);

    m_headers = new HeadersModel(this);
    QList<HeaderRow> rows;
    const auto remembered = settings->uploadHeaderValues();
    for (const QString &name : settings->uploadHeaderNames()) {
        HeaderRow row{name, {}, HeadersModel::looksSecret(name)};
        for (const auto &[savedName, value] : remembered) {
            if (savedName == name)
                row.value = value;
        }
        rows.append(row);
    }
    m_headers->setRows(rows);
    m_table = new QTableView(this);
    m_table->setModel(m_headers);
    m_table->setItemDelegateForColumn(HeadersModel::Value, new HeaderValueDelegate(m_table));
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(HeadersModel::Name, QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(HeadersModel::Value, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(HeadersModel::Secret, QHeaderView::ResizeToContents);
    m_table->setColumnWidth(HeadersModel::Name, 160);
    m_table->setMinimumHeight(110);
    auto *add = new QPushButton(tr("&Add"), this);
    auto *remove = new QPushButton(tr("&Remove"), this);
    m_reveal = new QCheckBox(tr("Show secret values"), this);
    m_rememberSecrets = new QCheckBox(tr("Remember secret values"), this);
    m_rememberSecrets->setToolTip(tr("Off: secret values are forgotten when the dialog closes."));
    auto *headerButtons = new QHBoxLayout;
    headerButtons->addWidget(add);
    headerButtons->addWidget(remove);
    headerButtons->addStretch(1);
    headerButtons->addWidget(m_reveal);
    headerButtons->addWidget(m_rememberSecrets);
    auto *headersBox = new QGroupBox(tr("Request headers"), this);
    auto *headersLayout = new QVBoxLayout(headersBox);
    headersLayout->addWidget(m_table);
    headersLayout->addLayout(headerButtons);

    m_bar = new QProgressBar(this);
    m_bar->setRange(0, 1000);
    m_bar->setValue(0);
    m_bar->setTextVisible(false);
    m_progressText = new QLabel(this);
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_response = new QPlainTextEdit(this);
    m_response->setReadOnly(true);
    m_response->setPlaceholderText(tr("The server's response appears here."));
    m_response->setMaximumBlockCount(5000);

    m_upload = new QPushButton(tr("&Upload"), this);
    m_upload->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel Upload"), this);
    m_cancel->setEnabled(false);
    m_close = new QPushButton(tr("Close"), this);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_upload, QDialogButtonBox::ActionRole);
    buttons->addButton(m_cancel, QDialogButtonBox::ActionRole);
    buttons->addButton(m_close, QDialogButtonBox::RejectRole);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(headersBox);
    layout->addWidget(m_bar);
    layout->addWidget(m_progressText);
    layout->addWidget(m_status);
    layout->addWidget(m_response, 1);
    layout->addWidget(buttons);
    resize(640, 560);

    connect(add, &QPushButton::clicked, this, [this] {
        const int row = m_headers->addRow();
        m_table->edit(m_headers->index(row, HeadersModel::Name));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        m_headers->removeRowAt(m_table->currentIndex().row());
    });
    connect(m_reveal, &QCheckBox::toggled, m_headers, &HeadersModel::setRevealed);
    connect(m_upload, &QPushButton::clicked, this, &UploadDialog::startUpload);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->cancel();
    });
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    connect(this, &QDialog::finished, this, [this] { // closing the dialog stops the upload
        if (m_job)
            m_job->cancel();
    });
}

void UploadDialog::setUrl(const QString &url)
{
    m_url->setCurrentText(url);
}

void UploadDialog::setMethod(const QString &method)
{
    m_method->setCurrentText(method);
}

UploadRequest UploadDialog::request() const
{
    return UploadRequest{m_url->currentText().trimmed(), m_method->currentText(), m_headers->headers()};
}

void UploadDialog::rememberSettings()
{
    const UploadRequest r = request();
    m_settings->addUploadEndpoint(r.url);
    m_settings->setUploadMethod(r.method);
    QStringList names;
    QList<QPair<QString, QString>> values;
    for (const HeaderRow &row : r.headers) {
        names << row.name;
        if (!row.secret || m_rememberSecrets->isChecked())
            values.append({row.name, row.value});
    }
    m_settings->setUploadHeaderNames(names);
    m_settings->setUploadHeaderValues(values);
}

void UploadDialog::startUpload()
{
    if (m_job || !m_model.isValid() || !m_registry)
        return;
    const UploadRequest r = request();
    const QUrl url(r.url, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        || url.host().isEmpty()) {
        m_status->setText(tr("Enter an http:// or https:// URL to upload to."));
        return;
    }
    rememberSettings();
    m_response->clear();
    m_status->setText(tr("Uploading…"));
    m_bar->setValue(0);
    m_progressText->clear();
    m_upload->setEnabled(false);
    m_cancel->setEnabled(true);
    m_clock.start();
    const ModelTarget model = m_model;
    const auto registry = m_registry;
    m_job = m_jobs->start<UploadAnswer>(
        tr("Uploading %1 to %2").arg(model.name(), url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)),
        [model, registry, r](JobContext &ctx) -> Result<UploadAnswer> {
            auto artifacts = artifactsOf(*registry, model, ctx);
            if (!artifacts)
                return fail(artifacts.error());
            return uploadModel(*artifacts, r, ctx);
        },
        this, [this](Result<UploadAnswer> reply) { finish(reply); });
    connect(m_job, &Job::progressChanged, this, &UploadDialog::showProgress);
}

void UploadDialog::showProgress(const Progress &progress)
{
    if (progress.bytesTotal > 0)
        m_bar->setValue(int(1000.0 * double(progress.bytesDone) / double(progress.bytesTotal)));
    const double seconds = double(m_clock.elapsed()) / 1000.0;
    m_progressText->setText(tr("%1 of %2 sent, %3")
                                .arg(formatBytes(progress.bytesDone),
                                     progress.bytesTotal > 0 ? formatBytes(progress.bytesTotal) : tr("?"),
                                     formatRate(seconds > 0 ? double(progress.bytesDone) / seconds : 0)));
}

void UploadDialog::finish(const Result<UploadAnswer> &reply)
{
    m_job.clear();
    m_upload->setEnabled(true);
    m_cancel->setEnabled(false);
    const std::optional<Error> error = reply ? std::nullopt : std::optional<Error>(reply.error());
    const int status = reply ? reply->status : error->status;
    if (reply) {
        m_bar->setValue(1000);
        m_status->setText(tr("Uploaded: HTTP %1").arg(status));
        m_response->setPlainText(QString::fromUtf8(reply->body));
    } else if (error->isCancelled()) {
        m_status->setText(tr("Upload cancelled."));
    } else {
        m_status->setText(error->status ? tr("The server answered HTTP %1: %2").arg(error->status).arg(error->message)
                                        : error->message);
        m_response->setPlainText(error->detail);
    }
    emit uploadFinished(!error, status);
}

} // namespace tfjs::ui
