#pragma once

#include "modeltarget.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace tfjs::ui {

// Collects where to save one model, which it names with its source, format and size: the
// store (indexeddb://), local storage (localstorage://), a folder (file://), the downloads
// folder (downloads://) or an upload. It only builds the destination URL; the caller starts
// the save job for the same model.
class SaveToDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SaveToDialog)

public:
    enum Destination { Store, LocalStorage, Folder, Downloads, Upload };

    SaveToDialog(const ModelTarget &model, const QString &lastFolder, QWidget *parent = nullptr);

    const ModelTarget &model() const { return m_model; }
    // Shows the model's description (the "Model:" row).
    QLabel *modelLabel() const { return m_modelLabel; }

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

    ModelTarget m_model;
    QLabel *m_modelLabel = nullptr;
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
