#pragma once

#include "base/error.h"
#include "iohandler.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <map>
#include <memory>

namespace tfjs {

// Parsed "scheme://path". A plain path (no "://") is file://.
struct ModelUrl
{
    QString scheme; // lower case, without "://"
    QString path;   // everything after "://" (for file://, a local path)
    QString text;   // as given

    static Result<ModelUrl> parse(const QString &text);
    QString toString() const { return scheme + QStringLiteral("://") + path; }
};

// Picks an IOHandler by URL scheme. An object handed in (no global): the app and the CLI build
// one with every scheme; tests build their own.
class HandlerRegistry
{
public:
    using Factory = std::function<Result<std::unique_ptr<IOHandler>>(const ModelUrl &url)>;

    void add(const QString &scheme, Factory factory);
    // The durability of every handler handlerFor() creates (default Relaxed).
    void setDurability(Durability durability) { m_durability = durability; }
    Durability durability() const { return m_durability; }
    bool has(const QString &scheme) const;
    QStringList schemes() const;

    // Errors: unknown scheme (lists the known ones), or whatever the factory reports.
    Result<std::unique_ptr<IOHandler>> handlerFor(const QString &url) const;
    Result<std::unique_ptr<IOHandler>> handlerFor(const ModelUrl &url) const;

    // handlerFor(url) then its load or save; a handler that cannot do it is an Unsupported
    // error naming the URL. A save onto an existing model is refused unless `existing` is
    // Replace (see existing.h).
    Result<ModelArtifacts> load(const QString &url, JobContext &ctx, const LoadOptions &options = {}) const;
    Result<SaveResult> save(const QString &url, const ModelArtifacts &artifacts, JobContext &ctx,
                            Existing existing = Existing::Refuse) const;
    // The spool folder for loads whose result is saved to `url` (see LoadOptions).
    QString spoolFolderFor(const QString &url) const;

private:
    std::map<QString, Factory> m_factories;
    Durability m_durability = Durability::Relaxed;
};

} // namespace tfjs
