#pragma once

#include "base/error.h"
#include "iohandler.h"
#include "modelstoremanager.h"

#include <QFlags>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>
#include <memory>

namespace tfjs {

// Parsed "scheme://path". A plain path (no "://") is file://. The one place URLs are taken
// apart and put together.
struct ModelUrl
{
    QString scheme; // lower case, without "://"
    QString path;   // everything after "://" (for file://, a local path)
    QString text;   // as given

    [[nodiscard]] static Result<ModelUrl> parse(const QString &text);
    // "<scheme>://<path>".
    static QString make(const QString &scheme, const QString &path);
    // The local path of a file:// URL or a plain path; empty for any other scheme or an
    // invalid URL.
    static QString localPath(const QString &text);
    // "indexeddb://" and "IndexedDB" as "indexeddb".
    static QString schemeName(const QString &scheme);
    // "file://<path>".
    static QString fromLocalPath(const QString &path) { return make(QStringLiteral("file"), path); }
    QString toString() const { return make(scheme, path); }
    bool isLocal() const { return scheme == QLatin1String("file"); }
};

// What a scheme can do, as Tiled's FileFormat::Capabilities.
enum class Capability : unsigned {
    Load = 1u << 0,   // models are read from its URLs
    Save = 1u << 1,   // models are written to its URLs
    List = 1u << 2,   // it lists the models it holds (it has a ModelStoreManager)
    Remove = 1u << 3, // a model can be removed
    Rename = 1u << 4, // a model can be renamed (moved) inside it
    Trash = 1u << 5,  // removed and replaced models go to a trash that can be restored
    Watch = 1u << 6,  // its models change behind the app's back; a browser watches them
    Find = 1u << 7,   // its models are found under a URL (a browser profile): listModels(url)
};
Q_DECLARE_FLAGS(Capabilities, Capability)
Q_DECLARE_OPERATORS_FOR_FLAGS(Capabilities)

// How a destination of the scheme is given: a name inside the medium, a local folder, or a
// whole URL (a server).
enum class SchemeLocation { Name, Folder, Url };

// One registry entry: what a scheme can do and how the UI shows it.
struct SchemeInfo
{
    QString scheme;             // "indexeddb" (lower case, without "://")
    Capabilities capabilities;  // what it can do
    QString displayName;        // "Model store": browser section, Save To destination
    QString iconName;           // the UI's icon for it ("store"); empty: a generic one
    SchemeLocation location = SchemeLocation::Name;
    QString destinationLabel;   // Save To's item; empty: "<displayName> (<scheme>://)"
    QString trashName;          // the trash's browser section ("Store trash")
    QString defaultName;        // a destination name used when none is given; empty: required
    int rank = 100;             // where lists show it: lower first, then registration order

    bool can(Capability capability) const { return capabilities.testFlag(capability); }
};

// Picks an IOHandler by URL scheme, and a ModelStoreManager for the schemes that hold models.
// One entry per scheme (SchemeInfo). An object handed in (no global): the app and the CLI
// build one with every scheme; tests build their own.
class HandlerRegistry
{
public:
    using Factory = std::function<Result<std::unique_ptr<IOHandler>>(const ModelUrl &url)>;
    using StoreFactory = std::function<Result<std::unique_ptr<ModelStoreManager>>()>;
    // Lists the models found under `where` (Capability::Find); each model's URL is
    // ModelUrl::make(scheme, path).
    using Lister = std::function<Result<std::vector<StoredModel>>(const ModelUrl &where, JobContext &ctx)>;

    // Adds (or replaces) a scheme. `store` is its ModelStoreManager (Capability::List).
    void add(const SchemeInfo &info, Factory factory, StoreFactory store = {});
    // A scheme that loads and saves, shown by its name.
    void add(const QString &scheme, Factory factory);
    // Sets the lister of a registered scheme (Capability::Find).
    void setLister(const QString &scheme, Lister lister);
    // The durability of every handler handlerFor() creates (default Relaxed).
    void setDurability(Durability durability) { m_durability = durability; }
    Durability durability() const { return m_durability; }
    // The shard size every handler it makes gets (IOHandler::setShardSize).
    void setShardSize(qint64 bytes) { m_shardSize = bytes; }
    bool has(const QString &scheme) const;
    QStringList schemes() const; // sorted by name

    // The entry of a scheme ("indexeddb", "indexeddb://", any case); null when unknown.
    const SchemeInfo *info(const QString &scheme) const;
    // Every entry in display order (rank, then registration).
    std::vector<SchemeInfo> entries() const;
    // The entries that can do `capability`, in display order.
    std::vector<SchemeInfo> entriesWith(Capability capability) const;
    // True when the scheme of `url` can do `capability`.
    bool can(const QString &url, Capability capability) const;
    // The schemes with a ModelStoreManager, in registration order.
    QStringList storeSchemes() const;
    // Opens the store manager of a scheme; an unknown scheme or one without a store is
    // Unsupported: "Cannot find model manager for scheme '<s>'".
    [[nodiscard]] Result<std::unique_ptr<ModelStoreManager>> storeFor(const QString &scheme) const;
    // The models under `where`: a Find scheme's lister, or a store scheme's listModels() (the
    // URL's path is ignored). Other schemes are Unsupported.
    [[nodiscard]] Result<std::vector<StoredModel>> listModels(const ModelUrl &where, JobContext &ctx) const;

    // Errors: unknown scheme (lists the known ones), or whatever the factory reports.
    [[nodiscard]] Result<std::unique_ptr<IOHandler>> handlerFor(const QString &url) const;
    [[nodiscard]] Result<std::unique_ptr<IOHandler>> handlerFor(const ModelUrl &url) const;

    // handlerFor(url) then its load or save; a handler that cannot do it is an Unsupported
    // error naming the URL. A save onto an existing model is refused unless `existing` is
    // Replace (see existing.h).
    [[nodiscard]] Result<ModelArtifacts> load(const QString &url, JobContext &ctx, const LoadOptions &options = {}) const;
    [[nodiscard]] Result<SaveResult> save(const QString &url, const ModelArtifacts &artifacts, JobContext &ctx,
                            Existing existing = Existing::Refuse) const;
    // The spool folder for loads whose result is saved to `url` (see LoadOptions).
    QString spoolFolderFor(const QString &url) const;

private:
    struct Entry
    {
        SchemeInfo info;
        Factory factory;
        StoreFactory store;
        Lister lister;
    };
    const Entry *find(const QString &scheme) const;

    std::vector<Entry> m_entries; // registration order
    Durability m_durability = Durability::Relaxed;
    qint64 m_shardSize = 0;
};

} // namespace tfjs
