#include "savetodialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace tfjs::ui {

SaveToDialog::SaveToDialog(const ModelTarget &model, const HandlerRegistry &registry,
                           const QString &lastFolder, QWidget *parent)
    : QDialog(parent), m_model(model)
{
    const QString modelName = model.name();
    setWindowTitle(tr("Save “%1” To").arg(modelName));
    m_modelLabel = new QLabel(model.description(), this);
    m_modelLabel->setObjectName(QStringLiteral("modelLabel"));
    m_modelLabel->setTextFormat(Qt::PlainText);
    m_modelLabel->setWordWrap(true);
    m_modelLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_destination = new QComboBox(this);
    bool upload = false;
    for (const SchemeInfo &info : registry.entriesWith(Capability::Save)) {
        if (info.location == SchemeLocation::Url) {
            upload = true; // one item for every server scheme: the upload dialog
            continue;
        }
        m_schemes.push_back(info);
        m_destination->addItem(info.destinationLabel.isEmpty()
                                   ? QStringLiteral("%1 (%2)").arg(
                                         info.displayName, ModelUrl::make(info.scheme, {}))
                                   : info.destinationLabel,
                               info.scheme);
    }
    if (upload)
        m_destination->addItem(tr("Upload to a server (http/https)…"), QString());
    m_name = new QLineEdit(modelName, this);
    m_folder = new QLineEdit(lastFolder.isEmpty() ? QString() : QDir(lastFolder).filePath(modelName), this);
    m_browse = new QPushButton(tr("&Browse…"), this);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_browse);
    m_preview = new QLabel(this);
    m_preview->setTextFormat(Qt::PlainText);
    m_preview->setStyleSheet(QStringLiteral("color: #555;"));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);

    auto *form = new QFormLayout(this);
    form->addRow(tr("Model:"), m_modelLabel);
    form->addRow(tr("&Destination:"), m_destination);
    m_nameLabel = new QLabel(tr("&Name:"), this);
    m_nameLabel->setBuddy(m_name);
    form->addRow(m_nameLabel, m_name);
    m_folderLabel = new QLabel(tr("&Folder:"), this);
    m_folderLabel->setBuddy(m_folder);
    form->addRow(m_folderLabel, folderRow);
    form->addRow(QString(), m_preview);
    form->addRow(m_buttons);
    setMinimumWidth(520);

    connect(m_destination, &QComboBox::currentIndexChanged, this, &SaveToDialog::update);
    connect(m_name, &QLineEdit::textChanged, this, &SaveToDialog::update);
    connect(m_folder, &QLineEdit::textChanged, this, &SaveToDialog::update);
    connect(m_browse, &QPushButton::clicked, this, &SaveToDialog::chooseFolder);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!current()) { // Upload
            accept();
            emit uploadRequested();
            return;
        }
        const QString url = destinationUrl();
        if (url.isEmpty())
            return;
        accept();
        emit saveRequested(url);
    });
    update();
}

QStringList SaveToDialog::destinations() const
{
    QStringList out;
    for (int i = 0; i < m_destination->count(); ++i)
        out << m_destination->itemData(i).toString();
    return out;
}

void SaveToDialog::setUploadOffered(bool offered)
{
    if (const int upload = m_destination->findData(QString()); !offered && upload >= 0)
        m_destination->removeItem(upload);
}

void SaveToDialog::setDestination(const QString &scheme)
{
    m_destination->setCurrentIndex(m_destination->findData(scheme));
}

QString SaveToDialog::destination() const
{
    return m_destination->currentData().toString();
}

const SchemeInfo *SaveToDialog::current() const
{
    const QString scheme = destination();
    for (const SchemeInfo &info : m_schemes) {
        if (info.scheme == scheme)
            return &info;
    }
    return nullptr;
}

void SaveToDialog::setName(const QString &name)
{
    m_name->setText(name);
}

void SaveToDialog::setFolder(const QString &folder)
{
    m_folder->setText(folder);
}

QString SaveToDialog::destinationUrl() const
{
    const SchemeInfo *info = current();
    if (!info)
        return {}; // Upload
    if (info->location == SchemeLocation::Folder) {
        const QString folder = m_folder->text().trimmed();
        return folder.isEmpty() ? QString() : ModelUrl::make(info->scheme, QDir::cleanPath(folder));
    }
    const QString typed = m_name->text().trimmed();
    const QString name = typed.isEmpty() ? info->defaultName : typed;
    return name.isEmpty() ? QString() : ModelUrl::make(info->scheme, name);
}

void SaveToDialog::update()
{
    const SchemeInfo *info = current();
    const bool upload = !info;
    const bool folder = info && info->location == SchemeLocation::Folder;
    const bool named = info && !folder;
    m_name->setVisible(named);
    m_nameLabel->setVisible(named);
    m_folder->setVisible(folder);
    m_browse->setVisible(folder);
    m_folderLabel->setVisible(folder);
    const QString url = destinationUrl();
    m_preview->setText(upload ? tr("Opens the upload dialog.") : url);
    QPushButton *save = m_buttons->button(QDialogButtonBox::Save);
    save->setText(upload ? tr("Continue…") : tr("&Save"));
    save->setEnabled(upload || !url.isEmpty());
}

void SaveToDialog::chooseFolder()
{
    auto *chooser = new QFileDialog(this, tr("Save into folder"), m_folder->text());
    chooser->setFileMode(QFileDialog::Directory);
    chooser->setOption(QFileDialog::ShowDirsOnly);
    chooser->setAttribute(Qt::WA_DeleteOnClose);
    connect(chooser, &QFileDialog::fileSelected, this, &SaveToDialog::setFolder);
    chooser->open();
}

} // namespace tfjs::ui
