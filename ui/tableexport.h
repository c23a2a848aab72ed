#pragma once

#include "base/json.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QAbstractItemModel;
class QAction;
class QMenu;
class QTableView;

namespace tfjs::ui {

class JobTracker;

enum class TableTextFormat { Tsv, Csv };

// A table's rows as text: a header line, then one line per row (in the order given), each
// cell from `role` (numbers unrounded, in the shortest form that reads back the same). CSV
// quotes as RFC 4180 does; TSV (for the clipboard) turns tabs and line breaks into spaces.
QString tableText(
    const QAbstractItemModel &model, const QList<int> &rows, int role, TableTextFormat format);

// The context menu of a table view: Copy (the selected rows as TSV with the header; also
// Ctrl+C), Export as CSV… (every row the view shows, in its order) and Export as JSON… (a
// document given by setJson: core's JSON of the table's data). Files are written by a job.
class TableExporter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TableExporter)

public:
    TableExporter(QTableView *view, int exportRole, JobTracker *jobs, QString fileBaseName);

    // The JSON to export (the "url" key is added, as the CLI adds it); null: none (yet).
    void setJson(std::shared_ptr<const Json> json, const QString &url);
    void setFileBaseName(const QString &name) { m_baseName = name; }

    // The menu the view shows at a right click (owned by the caller).
    QMenu *createMenu(QWidget *parent) const;
    QString selectedText() const;
    void copySelection() const;
    // Writes the file without asking (the dialogs end here); exported() follows.
    void exportCsv(const QString &path);
    void exportJson(const QString &path);

signals:
    // After a write: `error` is empty on success.
    void exported(const QString &path, const QString &error);

private:
    void askPath(const QString &suffix, const QString &filter,
        void (TableExporter::*writer)(const QString &));
    void write(const QString &path, std::function<QByteArray()> produce);

    QTableView *m_view;
    int m_role;
    JobTracker *m_jobs;
    QString m_baseName;
    std::shared_ptr<const Json> m_json;
    QString m_url;
};

} // namespace tfjs::ui
