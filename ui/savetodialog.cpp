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

SaveToDialog::SaveToDialog(const ModelTarget &model, const QString &lastFolder, QWidget *parent)
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
    m_destination->addItem(tr("Model store (indexeddb://)"), Store);
    m_destination->addItem(tr("Local storage (localstorage://)"), LocalStorage);
    m_destination->addItem(tr("Folder (model.json + weights.bin)"), Folder);
    m_destination->addItem(tr("Downloads folder (downloads://)"), Downloads);
    m_destination->addItem(tr("Upload to a server (http/https)…"), Upload);
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
        if (destination() == Upload) {
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

void SaveToDialog::setDestination(Destination destination)
{
    m_destination->setCurrentIndex(m_destination->findData(destination));
}

SaveToDialog::Destination SaveToDialog::destination() const
{
    return Destination(m_destination->currentData().toInt());
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
    const QString name = m_name->text().trimmed();
    switch (destination()) {
    case Store: return name.isEmpty() ? QString() : QStringLiteral("indexeddb://") + name;
    case LocalStorage: return name.isEmpty() ? QString() : QStringLiteral("localstorage://") + name;
    case Downloads: return QStringLiteral("downloads://") + (name.isEmpty() ? QStringLiteral("model") : name);
    case Folder: {
        const QString folder = m_folder->text().trimmed();
        return folder.isEmpty() ? QString() : QStringLiteral("file://") + QDir::cleanPath(folder);
    }
    case Upload: return {};
    }
    return {};
}

void SaveToDialog::update()
{
    const Destination d = destination();
    const bool named = d == Store || d == LocalStorage || d == Downloads;
    m_name->setVisible(named);
    m_nameLabel->setVisible(named);
    m_folder->setVisible(d == Folder);
    m_browse->setVisible(d == Folder);
    m_folderLabel->setVisible(d == Folder);
    const QString url = destinationUrl();
    m_preview->setText(d == Upload ? tr("Opens the upload dialog.") : url);
    QPushButton *save = m_buttons->button(QDialogButtonBox::Save);
    save->setText(d == Upload ? tr("Continue…") : tr("&Save"));
    save->setEnabled(d == Upload || !url.isEmpty());
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
