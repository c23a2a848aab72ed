#pragma once
// Isolates a GUI test's settings and store: QSettings and QStandardPaths in test mode, the
// store in a temporary folder.

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QString>

namespace tfjs::uitest {

inline void isolateSettings(const QString &storeDir)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("tfjs-model-manager-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tfjs-ui-tests"));
    QSettings settings;
    settings.clear();
    settings.setValue(QStringLiteral("store/dir"), storeDir);
    settings.setValue(QStringLiteral("store/downloadsDir"), QString(storeDir + QStringLiteral("/downloads")));
    settings.sync();
}

} // namespace tfjs::uitest
