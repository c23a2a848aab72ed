// tfjs-model trash list|restore|delete|empty: the trash of the indexeddb:// and localstorage://
// stores.
#include "cli.h"
#include "cliprogress.h"
#include "handlers/modelmanager.h"

#include <algorithm>
#include <optional>

namespace tfjs::cli {

namespace {

const QString kList = QStringLiteral("list");
const QString kRestore = QStringLiteral("restore");
const QString kDelete = QStringLiteral("delete");
const QString kEmpty = QStringLiteral("empty");

// An entry's ID on the command line: "<scheme>:<id>" (ids are unique within one store).
QString idText(const ModelManager::TrashItem &item)
{
    return item.scheme + QLatin1Char(':') + QString::number(item.entry.id);
}

// STORE arguments ("indexeddb://" or "indexeddb") as schemes; empty: every store.
QStringList storeSchemes(const QStringList &stores, const ModelManager &manager)
{
    QStringList out;
    for (QString store : stores) {
        if (store.endsWith(QStringLiteral("://")))
            store.chop(3);
        out << store.toLower();
    }
    return out.isEmpty() ? manager.schemes() : out;
}

Result<std::vector<ModelManager::TrashItem>> listOf(
    const ModelManager &manager, const QStringList &schemes)
{
    std::vector<ModelManager::TrashItem> all;
    for (const QString &scheme : schemes) {
        auto items = manager.listTrash(scheme);
        if (!items)
            return fail(items.error());
        all.insert(all.end(), items->begin(), items->end());
    }
    return all;
}

int list(Context &ctx, const QCommandLineParser &parser, const QStringList &stores)
{
    const ModelManager manager(ctx.registry);
    const QStringList schemes = storeSchemes(stores, manager);
    auto items = listOf(manager, schemes);
    if (!items)
        return ctx.failWith(items.error());
    if (parser.isSet(QStringLiteral("json"))) {
        Json json = Json::array();
        for (const ModelManager::TrashItem &item : *items) {
            Json entry = Json::object();
            entry["id"] = idText(item).toStdString();
            entry["url"] = item.url().toStdString();
            entry["removed"] = item.entry.removed.toString(Qt::ISODateWithMs).toStdString();
            entry["reason"] = trashReasonName(item.entry.reason).toStdString();
            entry["modelArtifactsInfo"] = item.entry.info.toJson();
            json.push_back(entry);
        }
        ctx.out << QString::fromStdString(json.dump(2)) << '\n';
        return Success;
    }
    if (items->empty()) {
        ctx.out << "the trash of " << schemes.join(QStringLiteral(", ")) << " is empty\n";
        return Success;
    }
    qsizetype idWidth = 2;
    qsizetype urlWidth = 3;
    for (const ModelManager::TrashItem &item : *items) {
        idWidth = std::max(idWidth, idText(item).size());
        urlWidth = std::max(urlWidth, item.url().size());
    }
    const auto row = [&](const QString &id, const QString &url, const QString &removed,
                         const QString &why, const QString &weights) {
        ctx.out << id.leftJustified(idWidth) << "  " << url.leftJustified(urlWidth) << "  "
                << removed.leftJustified(24) << "  " << why.leftJustified(8) << "  "
                << weights.rightJustified(10) << '\n';
    };
    row(QStringLiteral("ID"), QStringLiteral("URL"), QStringLiteral("REMOVED (UTC)"),
        QStringLiteral("WHY"), QStringLiteral("WEIGHTS"));
    for (const ModelManager::TrashItem &item : *items)
        row(idText(item), item.url(), item.entry.removed.toString(Qt::ISODateWithMs),
            trashReasonName(item.entry.reason), formatBytes(item.entry.info.weightDataBytes));
    return Success;
}

// "indexeddb:3" as the entry it names (which may not exist); nullopt when it is no ID.
std::optional<ModelManager::TrashItem> parseId(const ModelManager &manager, const QString &what)
{
    const QString scheme = what.section(QLatin1Char(':'), 0, 0).toLower();
    bool ok = false;
    const qint64 id = what.section(QLatin1Char(':'), 1).toLongLong(&ok);
    if (!ok || !manager.schemes().contains(scheme))
        return std::nullopt;
    ModelManager::TrashItem item;
    item.scheme = scheme;
    item.entry.id = id;
    return item;
}

// "indexeddb:3", or a URL: the newest entry trashed from that URL.
Result<ModelManager::TrashItem> findEntry(const ModelManager &manager, const QString &what)
{
    const qsizetype separator = what.indexOf(QStringLiteral("://"));
    if (separator < 0) {
        if (auto item = parseId(manager, what))
            return *item;
        return fail(ErrorCode::InvalidArgument,
            QStringLiteral("'%1' is neither a trash ID (STORE:N, as 'trash list' "
                           "prints it) nor a model URL.")
                .arg(what));
    }
    auto items = manager.listTrash(what.left(separator));
    if (!items)
        return fail(items.error());
    for (auto it = items->rbegin(); it != items->rend(); ++it) {
        if (it->url() == what)
            return *it;
    }
    Error error { ErrorCode::NotFound, QStringLiteral("%1 is not in the trash.").arg(what) };
    error.url = what;
    return fail(error);
}

int restore(Context &ctx, const QCommandLineParser &parser, const QStringList &args)
{
    if (args.size() != 1)
        return ctx.usageError(parser, QStringLiteral("trash restore takes one URL or ID."));
    const ModelManager manager(ctx.registry);
    auto item = findEntry(manager, args.front());
    if (!item)
        return item.error().code == ErrorCode::InvalidArgument
            ? ctx.usageError(parser, item.error().message)
            : ctx.failWith(item.error());
    auto restored = manager.restoreFromTrash(
        item->scheme, item->entry.id, parser.value(QStringLiteral("to")), existingFrom(parser));
    if (!restored)
        return ctx.failWith(withOverwriteHint(restored.error()));
    ctx.out << "restored " << idText(*item) << " to " << *restored << '\n';
    return Success;
}

// Deletes entries for good: all or none. Each store's entries go in one transaction, and
// every ID is checked against its store's trash first, so that a missing one stops the
// command before any store is changed.
int remove(Context &ctx, const QCommandLineParser &parser, const QStringList &args)
{
    if (args.isEmpty())
        return ctx.usageError(parser, QStringLiteral("trash delete takes one or more IDs."));
    const ModelManager manager(ctx.registry);
    std::vector<std::pair<QString, std::vector<qint64>>> stores; // in the order first named
    for (const QString &arg : args) {
        const auto item = parseId(manager, arg);
        if (!item)
            return ctx.usageError(parser,
                QStringLiteral("'%1' is not a trash ID (STORE:N, as 'trash list' prints it).")
                    .arg(arg));
        auto store = std::ranges::find_if(
            stores, [&item](const auto &named) { return named.first == item->scheme; });
        if (store == stores.end())
            store = stores.insert(stores.end(), { item->scheme, {} });
        store->second.push_back(item->entry.id);
    }
    QStringList missing;
    for (const auto &[scheme, ids] : stores) {
        auto items = manager.listTrash(scheme);
        if (!items)
            return ctx.failWith(items.error());
        for (const qint64 id : ids) {
            const QString text = scheme + QLatin1Char(':') + QString::number(id);
            if (std::ranges::none_of(*items, [id](const auto &item) { return item.entry.id == id; })
                && !missing.contains(text))
                missing << text;
        }
    }
    if (!missing.isEmpty())
        return ctx.failWith({ ErrorCode::NotFound,
            QStringLiteral("%1 %2 not in the trash; nothing was deleted ('tfjs-model trash list' "
                           "shows the entries).")
                .arg(missing.join(QStringLiteral(", ")),
                    missing.size() == 1 ? QStringLiteral("is") : QStringLiteral("are")) });
    for (const auto &[scheme, ids] : stores) {
        auto deleted = manager.deleteFromTrash(scheme, ids);
        if (!deleted)
            return ctx.failWith(deleted.error());
        for (const ModelManager::TrashItem &item : *deleted)
            ctx.out << "deleted " << idText(item) << " (" << item.url() << ") for good\n";
    }
    return Success;
}

int empty(Context &ctx, const QCommandLineParser &parser, const QStringList &stores)
{
    std::optional<int> days;
    if (parser.isSet(QStringLiteral("older-than"))) {
        bool ok = false;
        const int value = parser.value(QStringLiteral("older-than")).toInt(&ok);
        if (!ok || value < 0)
            return ctx.usageError(parser,
                QStringLiteral("--older-than takes a whole number of "
                               "days, 0 or more."));
        days = value;
    }
    const ModelManager manager(ctx.registry);
    const QStringList schemes = storeSchemes(stores, manager);
    int deleted = 0;
    for (const QString &scheme : schemes) {
        auto emptied = manager.emptyTrash(scheme, days);
        if (!emptied)
            return ctx.failWith(emptied.error());
        deleted += *emptied;
    }
    ctx.out << "deleted " << deleted << (deleted == 1 ? " entry" : " entries")
            << " from the trash of " << schemes.join(QStringLiteral(", "));
    if (days)
        ctx.out << " (removed more than " << *days << " days ago)";
    ctx.out << '\n';
    return Success;
}

} // namespace

Command trashCommand()
{
    return { QStringLiteral("trash"),
        QStringLiteral("List, restore, delete or empty the trash of the indexeddb:// and "
                       "localstorage:// stores (removed and replaced models, kept %1 days).")
            .arg(kTrashDays),
        [](QCommandLineParser &parser) {
            parser.addPositionalArgument(QStringLiteral("ACTION"),
                QStringLiteral("list [STORE...] | restore URL|ID | delete ID... (for good: all "
                               "or none) | empty [STORE...]."),
                QStringLiteral("list|restore|delete|empty"));
            parser.addPositionalArgument(QStringLiteral("ARGS"),
                QStringLiteral("Stores (default: both), the model URL or trash ID to "
                               "restore, or the trash IDs to delete."),
                QStringLiteral("[ARGS...]"));
            parser.addOption(
                { QStringLiteral("json"), QStringLiteral("list: print the entries as JSON.") });
            parser.addOption({ QStringLiteral("to"),
                QStringLiteral("restore: put the model at URL (same store) "
                               "instead of its old path."),
                QStringLiteral("URL") });
            addOverwriteOption(parser);
            parser.addOption({ QStringLiteral("older-than"),
                QStringLiteral("empty: only entries removed more than DAYS "
                               "days ago."),
                QStringLiteral("DAYS") });
        },
        [](Context &ctx, const QCommandLineParser &parser) {
            QStringList args = parser.positionalArguments();
            const QString action = args.isEmpty() ? QString() : args.takeFirst();
            // Options that belong to another action are mistakes, not no-ops.
            const QList<std::pair<QString, QString>> owners = { { QStringLiteral("json"), kList },
                { QStringLiteral("to"), kRestore }, { QStringLiteral("overwrite"), kRestore },
                { QStringLiteral("older-than"), kEmpty } };
            if (action != kList && action != kRestore && action != kDelete && action != kEmpty)
                return ctx.usageError(
                    parser, QStringLiteral("trash takes list, restore, delete or empty."));
            for (const auto &[option, owner] : owners) {
                if (parser.isSet(option) && owner != action)
                    return ctx.usageError(
                        parser, QStringLiteral("--%1 is for trash %2.").arg(option, owner));
            }
            if (action == kList)
                return list(ctx, parser, args);
            if (action == kRestore)
                return restore(ctx, parser, args);
            if (action == kDelete)
                return remove(ctx, parser, args);
            return empty(ctx, parser, args);
        } };
}

} // namespace tfjs::cli
