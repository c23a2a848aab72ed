#include "mainwindow.h"

#include "handlers.h"
#include "job.h"
#include "modeloverview.h"

#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QStatusBar>

namespace tfjs::ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("TFJS Model Manager"));
    m_view = new QPlainTextEdit(this);
    m_view->setReadOnly(true);
    m_view->setPlaceholderText(tr("Open a model.json (File > Open) to see what is in it."));
    setCentralWidget(m_view);
    m_status = new QLabel(this);
    statusBar()->addWidget(m_status, 1);
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open model JSON"), {},
                                                          tr("Model JSON (*.json)"));
        if (!path.isEmpty())
            openModel(path);
    });
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    resize(900, 600);
}

void MainWindow::openModel(const QString &url)
{
    auto overview = std::make_shared<ModelOverview>();
    auto *job = new Job(tr("Opening %1").arg(url), [url, overview](JobContext &ctx) -> Result<void> {
        const HandlerRegistry registry = makeDefaultRegistry();
        auto handler = registry.handlerFor(url);
        if (!handler)
            return fail(handler.error());
        auto artifacts = (*handler)->load(ctx, LoadOptions{.weights = false});
        if (!artifacts)
            return fail(artifacts.error());
        *overview = overviewOf(*artifacts);
        return {};
    }, this);
    m_status->setText(job->title());
    connect(job, &Job::finished, this, [this, job, overview, url](bool) {
        if (auto error = job->error())
            m_status->setText(error->toString());
        else {
            m_view->setPlainText(QString::fromStdString(overview->toJson().dump(2)));
            m_status->setText(url);
        }
        job->deleteLater();
    });
    job->start();
}

} // namespace tfjs::ui
