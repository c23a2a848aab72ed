#include "quantizedialog.h"

#include "formatting.h"
#include "jobtracker.h"
#include "rowtablemodel.h"
#include "savetodialog.h"

#include "base/job.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

namespace tfjs::ui {

namespace {

QStringList globsOf(const QLineEdit *edit)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    return edit->text().split(separators, Qt::SkipEmptyParts);
}

// A cell for an error figure: empty when the tensor was kept (NaN).
QVariant errorCell(double value)
{
    return std::isnan(value) ? QVariant() : QVariant(value);
}

} // namespace

QuantizeDialog::QuantizeDialog(ModelTarget model, std::shared_ptr<const HandlerRegistry> registry,
    JobTracker *jobs, QString lastFolder, QWidget *parent)
    : QDialog(parent), m_model(std::move(model)), m_registry(std::move(registry)), m_jobs(jobs),
      m_lastFolder(std::move(lastFolder))
{
    setWindowTitle(tr("Quantize “%1”").arg(m_model.name()));
    auto *modelLabel = new QLabel(m_model.description(), this);
    modelLabel->setTextFormat(Qt::PlainText);
    modelLabel->setWordWrap(true);
    m_dtype = new QComboBox(this);
    m_dtype->setObjectName(QStringLiteral("dtype"));
    for (const QuantDType dtype : { QuantDType::UInt8, QuantDType::UInt16, QuantDType::Float16 })
        m_dtype->addItem(QString::fromLatin1(quantDTypeName(dtype)), int(dtype));
    m_only = new QLineEdit(this);
    m_only->setObjectName(QStringLiteral("only"));
    m_only->setPlaceholderText(tr("every float32 tensor"));
    m_skip = new QLineEdit(this);
    m_skip->setObjectName(QStringLiteral("skip"));
    m_skip->setPlaceholderText(tr("none"));
    for (QLineEdit *edit : { m_only, m_skip })
        edit->setToolTip(tr("Globs on tensor names (* ? [..]), separated by spaces or commas."));

    m_preview = new QPushButton(tr("&Preview"), this);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_cancel = new QPushButton(tr("Cancel Preview"), this);
    m_cancel->setObjectName(QStringLiteral("cancelPreview"));
    m_cancel->setEnabled(false);
    m_bar = new QProgressBar(this);
    m_bar->setVisible(false);
    auto *previewRow = new QHBoxLayout;
    previewRow->addWidget(m_preview);
    previewRow->addWidget(m_cancel);
    previewRow->addWidget(m_bar, 1);

    m_rows = new RowTableModel(
        { tr("Tensor"), tr("Quantized to"), tr("Bytes before"), tr("Bytes after"), tr("Max |err|"),
            tr("Mean |err|"), tr("Rel. L2"), tr("Kept because") },
        this);
    auto *sorted = new RowFilterModel(this);
    sorted->setSourceModel(m_rows);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("tensors"));
    m_table->setModel(sorted);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // manifest order until a header is clicked
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->setMinimumHeight(220);
    m_totals
        = new QLabel(tr("Preview shows each tensor's size and error; nothing is written."), this);
    m_totals->setObjectName(QStringLiteral("totals"));
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_save = buttons->addButton(tr("&Save To…"), QDialogButtonBox::AcceptRole);
    m_save->setObjectName(QStringLiteral("saveTo"));

    auto *form = new QFormLayout;
    form->addRow(tr("Model:"), modelLabel);
    form->addRow(tr("&DType:"), m_dtype);
    form->addRow(tr("&Only:"), m_only);
    form->addRow(tr("S&kip:"), m_skip);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(previewRow);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_totals);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(860, 520);

    connect(m_preview, &QPushButton::clicked, this, &QuantizeDialog::startPreview);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->cancel();
    });
    connect(m_save, &QPushButton::clicked, this, &QuantizeDialog::chooseDestination);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(this, &QDialog::finished, this, [this] { // closing the dialog stops the preview
        if (m_job)
            m_job->cancel();
    });
}

QuantizeOptions QuantizeDialog::options() const
{
    QuantizeOptions options;
    options.dtype = QuantDType(m_dtype->currentData().toInt());
    options.only = globsOf(m_only);
    options.skip = globsOf(m_skip);
    return options;
}

void QuantizeDialog::setDType(QuantDType dtype)
{
    m_dtype->setCurrentIndex(m_dtype->findData(int(dtype)));
}

void QuantizeDialog::setGlobs(const QString &only, const QString &skip)
{
    m_only->setText(only);
    m_skip->setText(skip);
}

void QuantizeDialog::startPreview()
{
    if (m_job || !m_model.isValid() || !m_registry)
        return;
    QuantizeOptions options = this->options();
    options.reportOnly = true;
    m_rows->clear();
    m_status->clear();
    m_totals->setText(tr("Quantizing…"));
    m_preview->setEnabled(false);
    m_cancel->setEnabled(true);
    m_bar->setRange(0, 0);
    m_bar->setVisible(true);
    const ModelTarget model = m_model;
    const auto registry = m_registry;
    m_job = m_jobs->start<QuantizeResult>(
        tr("Previewing %1 quantized to %2")
            .arg(model.name(), QString::fromLatin1(quantDTypeName(options.dtype))),
        [model, registry, options](JobContext &ctx) -> Result<QuantizeResult> {
            auto artifacts = artifactsOf(*registry, model, ctx);
            if (!artifacts)
                return fail(artifacts.error());
            return quantizeModel(*artifacts, options, ctx);
        },
        this, [this](Result<QuantizeResult> result) { previewEnded(result); });
    connect(m_job, &Job::progressChanged, this, [this](const Progress &progress) {
        if (progress.bytesTotal <= 0)
            return;
        m_bar->setRange(0, 1000);
        m_bar->setValue(int(1000 * progress.bytesDone / progress.bytesTotal));
        m_bar->setFormat(progress.stage + QStringLiteral(" %p%"));
    });
}

void QuantizeDialog::previewEnded(const Result<QuantizeResult> &result)
{
    m_job.clear();
    m_preview->setEnabled(true);
    m_cancel->setEnabled(false);
    m_bar->setVisible(false);
    if (!result) {
        m_totals->setText(
            result.error().isCancelled() ? tr("Preview cancelled.") : tr("Preview failed."));
        if (!result.error().isCancelled())
            m_status->setText(result.error().toString());
        return;
    }
    showReport(*result);
    emit previewShown();
}

void QuantizeDialog::showReport(const QuantizeResult &result)
{
    std::vector<RowTableModel::Row> rows;
    int quantized = 0;
    for (const TensorQuantization &t : result.tensors) {
        quantized += t.quantized ? 1 : 0;
        rows.push_back({ QString::fromStdString(t.name),
            t.quantization ? QString::fromLatin1(quantDTypeName(t.quantization->dtype)) : QString(),
            t.bytesBefore, t.bytesAfter, errorCell(t.maxAbs), errorCell(t.meanAbs),
            errorCell(t.relativeL2), QString::fromStdString(t.reason) });
    }
    m_rows->setRows(
        std::move(rows), { tr("Total"), QString(), result.bytesBefore, result.bytesAfter });
    const QString dtype = QString::fromLatin1(quantDTypeName(options().dtype));
    const double ratio = result.bytesBefore > 0
        ? 100.0 * double(result.bytesAfter) / double(result.bytesBefore)
        : 100.0;
    m_totals->setText(
        tr("%1 of %2 tensors quantized to %3; weights %4 → %5 (%6%)")
            .arg(quantized)
            .arg(result.tensors.size())
            .arg(dtype, formatBytes(result.bytesBefore), formatBytes(result.bytesAfter))
            .arg(ratio, 0, 'f', 1));
}

void QuantizeDialog::chooseDestination()
{
    auto *dialog = new SaveToDialog(m_model, *m_registry, m_lastFolder, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Save “%1” Quantized To").arg(m_model.name()));
    dialog->setUploadOffered(false);
    const QString name
        = m_model.name() + QLatin1Char('-') + QString::fromLatin1(quantDTypeName(options().dtype));
    dialog->setName(name);
    if (!m_lastFolder.isEmpty())
        dialog->setFolder(QDir(m_lastFolder).filePath(name));
    connect(dialog, &SaveToDialog::saveRequested, this, [this](const QString &url) {
        const QuantizeOptions chosen = options();
        accept();
        emit quantizeRequested(url, chosen);
    });
    dialog->open();
}

} // namespace tfjs::ui
