#include "headersmodel.h"

#include "handlers/httpoptions.h"

#include <QLineEdit>

namespace tfjs::ui {

HeadersModel::HeadersModel(QObject *parent) : QAbstractTableModel(parent) {}

bool HeadersModel::looksSecret(const QString &name)
{
    return isSecretHeader(name.toUtf8());
}

void HeadersModel::setRows(QList<HeaderRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    m_secretTouched = QList<bool>(m_rows.size(), true);
    endResetModel();
}

QList<HeaderRow> HeadersModel::headers() const
{
    QList<HeaderRow> result;
    for (const HeaderRow &row : m_rows) {
        const QString name = row.name.trimmed();
        if (!name.isEmpty())
            result.append({name, row.value.trimmed(), row.secret});
    }
    return result;
}

int HeadersModel::addRow(const HeaderRow &row)
{
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_rows.append(row);
    m_secretTouched.append(!row.name.isEmpty());
    endInsertRows();
    return at;
}

void HeadersModel::removeRowAt(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    m_secretTouched.removeAt(row);
    endRemoveRows();
}

void HeadersModel::setRevealed(bool revealed)
{
    if (m_revealed == revealed)
        return;
    m_revealed = revealed;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, Value), index(int(m_rows.size()) - 1, Value));
}

int HeadersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HeadersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HeadersModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const HeaderRow &row = m_rows[index.row()];
    switch (index.column()) {
    case Name:
        if (role == Qt::DisplayRole || role == Qt::EditRole || role == RawValueRole)
            return row.name;
        break;
    case Value:
        if (role == Qt::DisplayRole)
            return row.secret && !m_revealed && !row.value.isEmpty() ? kMask.toString() : row.value;
        if (role == Qt::EditRole || role == RawValueRole)
            return row.value;
        if (role == Qt::ToolTipRole && row.secret)
            return tr("A secret: shown masked, never written to logs or settings unless you "
                      "ask to remember it.");
        break;
    case Secret:
        if (role == Qt::CheckStateRole)
            return row.secret ? Qt::Checked : Qt::Unchecked;
        if (role == RawValueRole)
            return row.secret;
        break;
    default:
        break;
    }
    if (role == IsSecretRole)
        return row.secret;
    return {};
}

bool HeadersModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return false;
    HeaderRow &row = m_rows[index.row()];
    const int r = index.row();
    switch (index.column()) {
    case Name:
        if (role != Qt::EditRole)
            return false;
        row.name = value.toString();
        if (!m_secretTouched[r] && row.secret != looksSecret(row.name)) {
            row.secret = looksSecret(row.name);
            emit dataChanged(this->index(r, Value), this->index(r, Secret));
        }
        break;
    case Value:
        if (role != Qt::EditRole)
            return false;
        row.value = value.toString();
        break;
    case Secret:
        if (role != Qt::CheckStateRole)
            return false;
        row.secret = value.toInt() == Qt::Checked;
        m_secretTouched[r] = true;
        emit dataChanged(this->index(r, Value), this->index(r, Value));
        break;
    default:
        return false;
    }
    emit dataChanged(index, index);
    return true;
}

QVariant HeadersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Header");
    case Value: return tr("Value");
    case Secret: return tr("Secret");
    default: return {};
    }
}

Qt::ItemFlags HeadersModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.column() == Secret)
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
}

QWidget *HeaderValueDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                           const QModelIndex &index) const
{
    QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
    const auto *model = qobject_cast<const HeadersModel *>(index.model());
    if (auto *line = qobject_cast<QLineEdit *>(editor);
        line && index.data(HeadersModel::IsSecretRole).toBool() && !(model && model->revealed()))
        line->setEchoMode(QLineEdit::Password);
    return editor;
}

} // namespace tfjs::ui
