#pragma once
// The environment for a child process with one of tests/faults' libraries loaded first.

#include <QLatin1Char>
#include <QProcessEnvironment>
#include <QString>

namespace tfjs::test {

inline QProcessEnvironment preloadEnvironment(const QString &library)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LD_PRELOAD"), library);
    // A sanitizer build wants its runtime first among the loaded libraries.
    const QString asan = env.value(QStringLiteral("ASAN_OPTIONS"));
    env.insert(QStringLiteral("ASAN_OPTIONS"), (asan.isEmpty() ? QString() : asan + QLatin1Char(':'))
                                                   + QStringLiteral("verify_asan_link_order=0"));
    return env;
}

} // namespace tfjs::test
