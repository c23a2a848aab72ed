#pragma once
// Isolates a GUI test's settings and store: QSettings and QStandardPaths in test mode, the
// store in a temporary folder, and the home folder where browser profiles are looked for
// (storeDir/home: nothing found unless the test makes profiles there).

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QString>

namespace tfjs::uitest {

inline QString browsersHome(const QString &storeDir)
{
    return storeDir + QStringLiteral("/home");
}

inline void isolateSettings(const QString &storeDir)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("tfjs-model-manager-tests"));
    // One settings file per process: ctest runs the GUI tests in parallel.
    QCoreApplication::setApplicationName(
        QStringLiteral("tfjs-ui-tests-%1").arg(QCoreApplication::applicationPid()));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, storeDir + QStringLiteral("/settings"));
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, storeDir + QStringLiteral("/settings"));
    QSettings settings;
    settings.clear();
    settings.setValue(QStringLiteral("store/dir"), storeDir);
    settings.setValue(QStringLiteral("store/downloadsDir"), QString(storeDir + QStringLiteral("/downloads")));
    settings.setValue(QStringLiteral("browsers/homeDir"), browsersHome(storeDir));
    settings.sync();
}

} // namespace tfjs::uitest
