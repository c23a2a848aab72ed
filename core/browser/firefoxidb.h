#pragma once

#include "browsermodel.h"

#include <QStringList>

#include <optional>
#include <vector>

namespace tfjs {

// Firefox's IndexedDB databases of one origin (storage/default/<origin>/idb/): one SQLite file
// per database (schema 26.x; name and origin in its `database` table), records in
// object_data(object_store_id, key, data, file_ids). `data` is a raw snappy block around a
// structured clone, or an INTEGER (flags << 32 | index) naming file_ids' entry `index`
// (".<id>"), the file <hash>.files/<id> in snappy framing. Only TF.js's database
// "tensorflowjs" is read.
//
// Firefox names a database's file after its name: a hash, then the name's characters taken
// from both ends in turn ("abcdefg" -> "<hash>agbfced.sqlite"); TF.js's database is
// 227602561tsejnwsoolrf.sqlite. Only files ending in "tsejnwsoolrf.sqlite" are copied and
// opened (and their `database` table still checked), so other sites' databases, which can be
// large, are never copied.

// The TF.js database files of an origin folder's idb/ (normally one), sorted.
QStringList firefoxIdbFiles(const QString &originFolder);

// Appends the models of database `file` (from model_info_store: no weights are read); nothing
// when the database is not TF.js's.
[[nodiscard]] Result<void> listFirefoxIdb(const QString &profile, const QString &file,
                                          std::vector<BrowserModel> &models);

// Model ref.path of database `file` (from models_store); nullopt when the database is not
// TF.js's database of ref.origin or has no such model. An external value file that is missing
// (the record changed while the database was copied) makes it copy and read again, twice at
// most, then fail naming the file.
[[nodiscard]] Result<std::optional<ModelArtifacts>> loadFirefoxIdb(const QString &file,
                                                                   const BrowserModelRef &ref,
                                                                   const LoadOptions &options);

} // namespace tfjs
