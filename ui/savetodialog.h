#pragma once

#include "modeltarget.h"

#include "handlers/registry.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace tfjs::ui {

// Collects where to save one model, which it names with its source, format and size: each
// scheme of the registry that can save, in its order (a name inside a store, local storage or
// the downloads folder; a folder for file://), and an upload when a server scheme can save.
// It only builds the destination URL; the caller starts the save job for the same model.
class SaveToDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SaveToDialog)

public:
    SaveToDialog(const ModelTarget &model, const HandlerRegistry &registry,
                 const QString &lastFolder, QWidget *parent = nullptr);

    // The destinations offered: schemes ("indexeddb", "file"), then an empty string for Upload.
    QStringList destinations() const;

    const ModelTarget &model() const { return m_model; }
    // Shows the model's description (the "Model:" row).
    QLabel *modelLabel() const { return m_modelLabel; }

    // Without: no Upload item (a save that must write this model's bytes as they are made).
    void setUploadOffered(bool offered);
    // A destination scheme; empty: Upload.
    void setDestination(const QString &scheme);
    QString destination() const;
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
    const SchemeInfo *current() const;

    ModelTarget m_model;
    std::vector<SchemeInfo> m_schemes; // the destinations that save, in the combo's order
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
