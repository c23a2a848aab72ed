#include "browserfiltermodel.h"

#include "modelbrowsermodel.h"

#include <QDateTime>

#include <algorithm>

namespace tfjs::ui {

namespace {

// QChar::toCaseFolded, without its table lookup for ASCII (most model names).
QChar folded(QChar c)
{
    const char16_t u = c.unicode();
    if (u < 0x80)
        return (u >= u'A' && u <= u'Z') ? QChar(char16_t(u + 32)) : c;
    return c.toCaseFolded();
}

} // namespace

QString naturalSortKey(const QString &name)
{
    QString key;
    key.reserve(name.size() + 4);
    const qsizetype size = name.size();
    for (qsizetype i = 0; i < size;) {
        const char16_t c = name[i].unicode();
        if (c >= 0x80)
            return {};
        if (c < u'0' || c > u'9') {
            key += folded(QChar(c));
            ++i;
            continue;
        }
        qsizetype end = i;
        while (end < size && name[end].unicode() >= u'0' && name[end].unicode() <= u'9')
            ++end;
        qsizetype start = i;
        while (end - start > 1 && name[start] == u'0')
            ++start;
        // Every character of a run's key is a digit, so against any other character it sorts
        // as the run's first digit would; lengths 1-8 are one digit, 9-108 are "9" and two.
        const qsizetype length = end - start;
        if (length > 108)
            return {};
        if (length <= 8)
            key += QChar(char16_t(u'0' + length));
        else
            key += QLatin1Char('9') + QStringLiteral("%1").arg(length - 9, 2, 10, QLatin1Char('0'));
        key += QStringView(name).mid(start, length);
        i = end;
    }
    return key;
}

int naturalCompare(const QString &a, const QString &b)
{
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            const qsizetype si = i, sj = j;
            while (i < a.size() && a[i].isDigit())
                ++i;
            while (j < b.size() && b[j].isDigit())
                ++j;
            // Compare digit runs as numbers: strip leading zeros, then longer is larger.
            QStringView x = QStringView(a).mid(si, i - si), y = QStringView(b).mid(sj, j - sj);
            while (x.size() > 1 && x.front() == u'0')
                x = x.mid(1);
            while (y.size() > 1 && y.front() == u'0')
                y = y.mid(1);
            if (x.size() != y.size())
                return x.size() < y.size() ? -1 : 1;
            if (const int c = x.compare(y); c != 0)
                return c;
            continue;
        }
        const QChar ca = folded(a[i]), cb = folded(b[j]);
        if (ca != cb)
            return ca < cb ? -1 : 1;
        ++i;
        ++j;
    }
    if (i < a.size() || j < b.size())
        return i < a.size() ? 1 : -1;
    return QString::compare(a, b, Qt::CaseSensitive);
}

bool rawLessThan(const QVariant &left, const QVariant &right)
{
    const bool leftKnown = left.isValid() && !left.isNull();
    const bool rightKnown = right.isValid() && !right.isNull();
    if (!leftKnown || !rightKnown)
        return !leftKnown && rightKnown;
    const int type = left.metaType().id();
    if (type == QMetaType::QString || right.metaType().id() == QMetaType::QString)
        return naturalCompare(left.toString(), right.toString()) < 0;
    if (type == QMetaType::QDateTime) {
        const QDateTime l = left.toDateTime(), r = right.toDateTime();
        if (!l.isValid() || !r.isValid())
            return !l.isValid() && r.isValid();
        return l < r;
    }
    if (type == QMetaType::Double || type == QMetaType::Float)
        return left.toDouble() < right.toDouble();
    const QPartialOrdering order = QVariant::compare(left, right);
    if (order == QPartialOrdering::Unordered)
        return left.toString() < right.toString();
    return order == QPartialOrdering::Less;
}

BrowserFilterModel::BrowserFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(ModelBrowserModel::RawValueRole);
    setDynamicSortFilter(true);
    // A group (a browser's profile or origin) shows while a model inside it is shown.
    setRecursiveFilteringEnabled(true);
}

void BrowserFilterModel::setFilterText(const QString &text)
{
    if (m_filter == text)
        return;
#if QT_VERSION >= QT_VERSION_CHECK(6, 10, 0)
    beginFilterChange();
    m_filter = text;
    endFilterChange();
#else
    m_filter = text;
    invalidateFilter();
#endif
}

bool BrowserFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    const QModelIndex name = model->index(sourceRow, ModelBrowserModel::Name, sourceParent);
    if (m_filter.isEmpty() || name.data(ModelBrowserModel::IsSectionRole).toBool())
        return true; // sections
    const QString url = name.data(ModelBrowserModel::UrlRole).toString();
    if (url.isEmpty())
        return false; // a group: shown for the models it holds
    const QModelIndex format = model->index(sourceRow, ModelBrowserModel::Format, sourceParent);
    QStringList texts{name.data().toString(), format.data().toString(), url};
    // A model's groups: its origin and profile find it too.
    for (QModelIndex group = sourceParent;
         group.isValid() && !group.data(ModelBrowserModel::IsSectionRole).toBool(); group = group.parent())
        texts << group.data().toString();
    return std::any_of(texts.cbegin(), texts.cend(), [this](const QString &text) {
        return text.contains(m_filter, Qt::CaseInsensitive);
    });
}

bool BrowserFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // Entries by name, the default order: compared in place (a large store's first sort makes
    // millions of comparisons; building two QVariants for each doubled the time).
    if (left.column() == ModelBrowserModel::Name && sortRole() == ModelBrowserModel::RawValueRole) {
        if (const auto *model = qobject_cast<const ModelBrowserModel *>(sourceModel())) {
            const BrowserEntry *a = model->entryAt(left);
            const BrowserEntry *b = a ? model->entryAt(right) : nullptr;
            if (a && b) {
                if (a->sortKey.isEmpty() || b->sortKey.isEmpty()) // made by listing jobs only
                    return naturalCompare(a->name, b->name) < 0;
                const int byKey = QString::compare(a->sortKey, b->sortKey);
                return (byKey != 0 ? byKey : QString::compare(a->name, b->name)) < 0;
            }
        }
    }
    if (left.data(ModelBrowserModel::IsSectionRole).toBool()) // sections: fixed order whatever the sort order
        return sortOrder() == Qt::AscendingOrder ? left.row() < right.row()
                                                 : left.row() > right.row();
    return rawLessThan(left.data(sortRole()), right.data(sortRole()));
}

} // namespace tfjs::ui
