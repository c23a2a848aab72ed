#include "servestatuswidget.h"

#include "formatting.h"

#include <QAction>
#include <QClipboard>
#include <QDateTime>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace tfjs::ui {

ServeStatusWidget::ServeStatusWidget(ServeController *controller, QWidget *parent)
    : QWidget(parent), m_controller(controller)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_toggle = new QToolButton(this);
    m_toggle->setObjectName(QStringLiteral("serveToggleButton"));
    m_toggle->setDefaultAction(controller->toggleAction());
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toggle->setAutoRaise(true);
    m_url = new QLabel(this);
    m_url->setObjectName(QStringLiteral("serveUrl"));
    m_url->setTextFormat(Qt::PlainText);
    m_url->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_copy = new QToolButton(this);
    m_copy->setObjectName(QStringLiteral("serveCopyUrl"));
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(tr("Copy the server's URL"));
    m_copy->setAutoRaise(true);
    m_arrivalsButton = new QToolButton(this);
    m_arrivalsButton->setObjectName(QStringLiteral("serveArrivalsButton"));
    m_arrivalsButton->setCheckable(true);
    m_arrivalsButton->setAutoRaise(true);
    layout->addWidget(m_toggle);
    layout->addWidget(m_url);
    layout->addWidget(m_copy);
    layout->addWidget(m_arrivalsButton);

    m_window = new QWidget(this, Qt::Tool);
    m_window->setObjectName(QStringLiteral("serveArrivalsWindow"));
    m_window->setWindowTitle(tr("Server Arrivals"));
    m_window->resize(720, 320);
    auto *windowLayout = new QVBoxLayout(m_window);
    m_list = new QTreeWidget(m_window);
    m_list->setObjectName(QStringLiteral("serveArrivals"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({ tr("Time"), tr("Model or request"), tr("Status"), tr("Details") });
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    auto *clear = new QPushButton(tr("Clear"), m_window);
    windowLayout->addWidget(m_list);
    windowLayout->addWidget(clear, 0, Qt::AlignRight);

    connect(m_copy, &QToolButton::clicked, this,
        [this] { QGuiApplication::clipboard()->setText(m_controller->url().toString()); });
    connect(m_arrivalsButton, &QToolButton::toggled, this, [this](bool on) {
        if (on) { // above the status bar's right end, where the button is
            const QPoint corner
                = m_arrivalsButton->mapToGlobal(QPoint(m_arrivalsButton->width(), 0));
            m_window->move(corner
                - QPoint(
                    m_window->frameGeometry().width(), m_window->frameGeometry().height() + 8));
        }
        m_window->setVisible(on);
    });
    // Closing the window by its title bar unchecks the button (the window hides, not deletes).
    m_window->installEventFilter(this);
    connect(clear, &QPushButton::clicked, this, [this] {
        m_list->clear();
        m_saved = m_refused = 0;
        updateArrivalsButton();
    });
    connect(controller, &ServeController::stateChanged, this, &ServeStatusWidget::showState);
    connect(controller, &ServeController::modelStored, this,
        [this](const QString &url, const ModelArtifactsInfo &info) {
            ++m_saved;
            addArrival(
                { url, tr("saved"), tr("%1 of weights").arg(formatBytes(info.weightDataBytes)) },
                true);
        });
    connect(
        controller, &ServeController::requestFailed, this, [this](const QString &what, int status) {
            // "POST /models/a: why" (the server's words): the request, then why.
            const qsizetype colon = what.indexOf(QStringLiteral(": "));
            ++m_refused;
            addArrival({ what.left(colon), QString::number(status),
                           colon < 0 ? QString() : what.mid(colon + 2) },
                false);
        });
    connect(controller, &ServeController::message, this, [this](const QString &line) {
        addArrival({ tr("(server)"), QString(), line }, true);
    });
    updateArrivalsButton();
    showState(controller->state());
}

void ServeStatusWidget::showState(ServeController::State state)
{
    const bool serving = state == ServeController::State::Serving;
    m_url->setText(serving ? tr("Serving %1").arg(m_controller->url().toString())
            : state == ServeController::State::Stopping ? tr("Stopping the server…")
                                                        : QString());
    m_url->setToolTip(serving ? tr("The store at %1, for pages on this computer (127.0.0.1)")
                                    .arg(m_controller->storeDir())
                              : QString());
    m_url->setVisible(state != ServeController::State::Off);
    m_copy->setVisible(serving);
    m_arrivalsButton->setVisible(serving || m_list->topLevelItemCount() > 0);
}

void ServeStatusWidget::addArrival(const QStringList &columns, bool ok)
{
    auto *item = new QTreeWidgetItem(
        QStringList { QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")) }
        + columns);
    item->setToolTip(DetailsColumn, columns.value(DetailsColumn - 1));
    if (!ok)
        item->setIcon(StatusColumn, style()->standardIcon(QStyle::SP_MessageBoxWarning));
    m_list->insertTopLevelItem(0, item);
    if (m_list->topLevelItemCount() > kMaxArrivals)
        delete m_list->takeTopLevelItem(kMaxArrivals);
    updateArrivalsButton();
}

void ServeStatusWidget::updateArrivalsButton()
{
    const int count = m_list->topLevelItemCount();
    m_arrivalsButton->setText(m_refused > 0
            ? tr("Arrivals: %1 saved, %2 refused").arg(m_saved).arg(m_refused)
            : tr("Arrivals: %1 saved").arg(m_saved));
    m_arrivalsButton->setToolTip(count > 0
            ? tr("Latest: %1 %2 %3")
                  .arg(m_list->topLevelItem(0)->text(ModelColumn),
                      m_list->topLevelItem(0)->text(StatusColumn),
                      m_list->topLevelItem(0)->text(DetailsColumn))
            : tr("Models saved to the server by web pages appear here"));
    m_arrivalsButton->setVisible(
        m_controller->state() == ServeController::State::Serving || count > 0);
}

bool ServeStatusWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::Hide)
        m_arrivalsButton->setChecked(false);
    return QWidget::eventFilter(watched, event);
}

} // namespace tfjs::ui
