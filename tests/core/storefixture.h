#pragma once
// The fixture of the store tests (tst_modelstores, tst_indexeddbstore, tst_localstorage): a
// temporary store folder with the default registry on it; saves and loads go through the
// scheme's IOHandler, as TF.js's own tests call save() and load().

#include "schemes/schemes.h"
#include "base/job.h"
#include "handlers/modelstoremanager.h"
#include "storetestdata.h"

#include <QTemporaryDir>

namespace storetest {

using namespace tfjs;

class StoreFixture
{
public:
    // `localStorageQuota` 0: the default quota.
    explicit StoreFixture(qint64 localStorageQuota = 0)
    {
        options.storeDir = dir.path() + QStringLiteral("/store");
        options.localStorageQuota = localStorageQuota;
        registry = makeDefaultRegistry(options);
    }
    Result<SaveResult> save(const QString &url, const ModelArtifacts &artifacts,
                            Existing existing = Existing::Refuse)
    {
        auto handler = registry.handlerFor(url);
        if (!handler)
            return fail(handler.error());
        (*handler)->setExisting(existing);
        return (*handler)->save(artifacts, ctx);
    }
    Result<ModelArtifacts> load(const QString &url, const LoadOptions &loadOptions = {})
    {
        auto handler = registry.handlerFor(url);
        if (!handler)
            return fail(handler.error());
        return (*handler)->load(ctx, loadOptions);
    }
    // The quota LocalStorageStore::open is given.
    qint64 localStorageQuota() const
    {
        return options.localStorageQuota > 0 ? options.localStorageQuota : 5 * 1024 * 1024;
    }

    QTemporaryDir dir;
    HandlerOptions options;
    HandlerRegistry registry;
    JobContext ctx;
};

inline QStringList paths(const std::vector<StoredModel> &models)
{
    QStringList out;
    for (const StoredModel &model : models)
        out << model.path;
    return out;
}

} // namespace storetest
