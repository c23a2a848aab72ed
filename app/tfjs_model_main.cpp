#include "buildinfo.h"
#include "cli.h"

#include <QCoreApplication>

#include <cstdio>
#include <unistd.h>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tfjs-model-manager"));
    QCoreApplication::setOrganizationName(QStringLiteral("tfjs-model-manager"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TFJS_VERSION_TEXT));
    QTextStream out(stdout);
    QTextStream err(stderr);
    return tfjs::cli::run(QCoreApplication::arguments(), out, err, ::isatty(STDERR_FILENO) == 1);
}
