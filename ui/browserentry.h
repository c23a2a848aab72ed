#pragma once

#include <QDateTime>
#include <QString>

namespace tfjs::ui {

// Where a browser section's entries come from. Store: a scheme of the registry that lists its
// models (the panel makes one per scheme, keyed by the scheme); LocalStorage sorts after Store
// and is not made by the panel any more; Browser: a scheme whose models are found in web
// browsers' profiles (Capability::Find), read-only, keyed by the scheme.
enum class SectionKind { Store, LocalStorage, Browser, Folder, Recent, Trash };

// One model listed in the browser: what opens it and what the list shows about it.
struct BrowserEntry
{
    QString url;      // what opens it: "indexeddb://name", a local path, "https://…/model.json"
    QString name;     // shown in the Name column
    QString format;   // "layers-model", "graph-model", "weights-only"; empty: unknown
    qint64 size = -1; // bytes (JSON + weights); -1: unknown
    QDateTime date;   // saved or modified; invalid: unknown
    QString problem;  // non-empty: listed, but something is wrong with it (shown as a warning)
    // Trash entries: `url` is where the model was, `date` when it went to the trash.
    qint64 trashId = -1;  // its id in the store's trash; -1: not a trash entry
    QString trashReason;  // why it is there: "deleted", "replaced"
    // Found models (browser profiles): where the page's model.save() put it. Shown after the
    // name ("origin, storage") and, with the profile, in the tooltip; empty for other entries.
    QString origin;   // the page's origin: "http://127.0.0.1:8765"
    QString storage;  // "indexeddb", "localstorage"
    QString profile;  // the profile folder
    QString savedBy;  // who saved it, where the store records that (team://: "role@host")
    QString sortKey;  // naturalSortKey(name), made by listings off the GUI thread; empty: none

    // What tells entries apart in a section: the URL, and the trash id for trash entries
    // (a name can be in the trash more than once).
    QString key() const { return trashId < 0 ? url : url + QLatin1Char('#') + QString::number(trashId); }
};

} // namespace tfjs::ui
