#pragma once

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace tfjs::ui {

// Collects where to save a model: the store (indexeddb://), local storage (localstorage://),
// a folder (file://), the downloads folder (downloads://) or an upload. It only builds the
// destination URL; the caller starts the save job.
class SaveToDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SaveToDialog)

public:
    enum Destination { Store, LocalStorage, Folder, Downloads, Upload };

    SaveToDialog(const QString &modelName, const QString &lastFolder, QWidget *parent = nullptr);

    void setDestination(Destination destination);
    Destination destination() const;
    void setName(const QString &name);
    void setFolder(const QString &folder);
    // The URL to save to; empty for Upload or when incomplete.
    QString destinationUrl() const;

signals:
    void saveRequested(const QString &url);
    void uploadRequested();

private:
    void update();
    void chooseFolder();

    QComboBox *m_destination = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_folder = nullptr;
    QPushButton *m_browse = nullptr;
    QLabel *m_nameLabel = nullptr;
    QLabel *m_folderLabel = nullptr;
    QLabel *m_preview = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace tfjs::ui
