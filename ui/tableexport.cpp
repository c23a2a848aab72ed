#include "tableexport.h"

#include "jobtracker.h"
#include "messages.h"
#include "io/savefile.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QGuiApplication>
#include <QItemSelectionModel>
#include <QLocale>
#include <QMenu>
#include <QTableView>

#include <algorithm>
#include <cmath>

namespace tfjs::ui {

namespace {

QString cellText(const QVariant &value)
{
    switch (value.metaType().id()) {
    case QMetaType::Double:
    case QMetaType::Float: {
        const double v = value.toDouble();
        if (std::isnan(v))
            return QStringLiteral("NaN");
        if (std::isinf(v))
            return v > 0 ? QStringLiteral("Inf") : QStringLiteral("-Inf");
        return QString::number(v, 'g', QLocale::FloatingPointShortest);
    }
    default:
        return value.toString();
    }
}

QString field(QString text, TableTextFormat format)
{
    if (format == TableTextFormat::Tsv) {
        for (QChar &c : text) {
            if (c == QLatin1Char('\t') || c == QLatin1Char('\n') || c == QLatin1Char('\r'))
                c = QLatin1Char(' ');
        }
        return text;
    }
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"'))
        || text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r')))
        return QLatin1Char('"') + text.replace(QLatin1Char('"'), QStringLiteral("\"\""))
            + QLatin1Char('"');
    return text;
}

} // namespace

QString tableText(
    const QAbstractItemModel &model, const QList<int> &rows, int role, TableTextFormat format)
{
    const QString separator
        = format == TableTextFormat::Tsv ? QStringLiteral("\t") : QStringLiteral(",");
    const QString newline
        = format == TableTextFormat::Tsv ? QStringLiteral("\n") : QStringLiteral("\r\n");
    const int columns = model.columnCount();
    QStringList cells;
    for (int c = 0; c < columns; ++c)
        cells << field(model.headerData(c, Qt::Horizontal).toString(), format);
    QString text = cells.join(separator) + newline;
    for (const int row : rows) {
        cells.clear();
        for (int c = 0; c < columns; ++c)
            cells << field(cellText(model.index(row, c).data(role)), format);
        text += cells.join(separator) + newline;
    }
    return text;
}

TableExporter::TableExporter(
    QTableView *view, int exportRole, JobTracker *jobs, QString fileBaseName)
    : QObject(view), m_view(view), m_role(exportRole), m_jobs(jobs),
      m_baseName(std::move(fileBaseName))
{
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu *menu = createMenu(m_view);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_view->viewport()->mapToGlobal(pos));
    });
    auto *copy = new QAction(tr("&Copy"), view);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &TableExporter::copySelection);
    view->addAction(copy);
}

void TableExporter::setJson(std::shared_ptr<const Json> json, const QString &url)
{
    m_json = std::move(json);
    m_url = url;
}

QMenu *TableExporter::createMenu(QWidget *parent) const
{
    auto *menu = new QMenu(parent);
    auto *self = const_cast<TableExporter *>(this);
    auto add = [menu](const QString &text, const QString &name, bool enabled, auto slot) {
        QAction *action = menu->addAction(text);
        action->setObjectName(name);
        action->setEnabled(enabled);
        QObject::connect(action, &QAction::triggered, menu, slot);
        return action;
    };
    add(tr("&Copy"), QStringLiteral("copyRows"),
        m_view->selectionModel() && m_view->selectionModel()->hasSelection(),
        [self] { self->copySelection(); })
        ->setShortcut(QKeySequence::Copy);
    menu->addSeparator();
    add(tr("Export as &CSV…"), QStringLiteral("exportCsv"),
        m_view->model() && m_view->model()->rowCount() > 0, [self] {
            self->askPath(
                QStringLiteral(".csv"), tr("CSV files (*.csv)"), &TableExporter::exportCsv);
        });
    QAction *json
        = add(tr("Export as &JSON…"), QStringLiteral("exportJson"), m_json != nullptr, [self] {
              self->askPath(
                  QStringLiteral(".json"), tr("JSON files (*.json)"), &TableExporter::exportJson);
          });
    if (!m_json)
        json->setToolTip(tr("Available once the table's data is complete"));
    return menu;
}

QString TableExporter::selectedText() const
{
    QList<int> rows;
    if (QItemSelectionModel *selection = m_view->selectionModel()) {
        for (const QModelIndex &index : selection->selectedRows())
            rows << index.row();
    }
    std::sort(rows.begin(), rows.end());
    return rows.isEmpty() ? QString()
                          : tableText(*m_view->model(), rows, m_role, TableTextFormat::Tsv);
}

void TableExporter::copySelection() const
{
    if (const QString text = selectedText(); !text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

void TableExporter::askPath(
    const QString &suffix, const QString &filter, void (TableExporter::*writer)(const QString &))
{
    auto *dialog = new QFileDialog(
        m_view->window(), tr("Export"), QDir::home().filePath(m_baseName + suffix), filter);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(suffix.mid(1));
    connect(dialog, &QFileDialog::fileSelected, this,
        [this, writer](const QString &path) { (this->*writer)(path); });
    dialog->open();
}

void TableExporter::exportCsv(const QString &path)
{
    const QAbstractItemModel *model = m_view->model();
    QList<int> rows;
    for (int row = 0; model && row < model->rowCount(); ++row)
        rows << row;
    const QByteArray bytes
        = model ? tableText(*model, rows, m_role, TableTextFormat::Csv).toUtf8() : QByteArray();
    write(path, [bytes] { return bytes; });
}

void TableExporter::exportJson(const QString &path)
{
    if (!m_json) {
        emit exported(path, tr("There is no JSON to export yet."));
        return;
    }
    write(path, [json = m_json, url = m_url.toStdString()] {
        Json document = *json;
        document["url"] = url;
        return QByteArray::fromStdString(
            document.dump(2, ' ', false, Json::error_handler_t::replace) + '\n');
    });
}

void TableExporter::write(const QString &path, std::function<QByteArray()> produce)
{
    m_jobs->start(
        tr("Exporting %1").arg(QDir::toNativeSeparators(path)),
        [path, produce](JobContext &) { return saveFile(path, produce()); }, this,
        [this, path](const std::optional<Error> &error) {
            if (error && !error->isCancelled())
                showError(m_view->window(), tr("Could not export to %1").arg(path), *error);
            emit exported(path, error ? error->toString() : QString());
        });
}

} // namespace tfjs::ui
