#include "app/ui/NotificationToast.h"

#include "app/ui/ElidedLabel.h"
#include "app/ui/Icons.h"
#include "app/ui/Theme.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace tern::app::ui {

namespace {
// Shown this long once the window is active (an inactive window keeps it for when you return).
constexpr int kShowMs = 8000;
} // namespace

NotificationToast::NotificationToast(QWidget *parent)
    : QFrame(parent), m_title(new ElidedLabel(this)), m_text(new ElidedLabel(this)),
      m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("notificationToast"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setFocusPolicy(Qt::TabFocus);
    setCursor(Qt::PointingHandCursor);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, Theme::mix(Theme::accent(pal), pal.color(QPalette::Base), 0.12));
    setPalette(pal);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_close->setObjectName(QStringLiteral("closeToastButton"));
    m_close->setAutoRaise(true);
    Icons::bind(m_close, Icons::Icon::Close);
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss the notification"));

    auto *texts = new QVBoxLayout;
    texts->setSpacing(0);
    texts->addWidget(m_title);
    texts->addWidget(m_text);
    auto *layout = new QHBoxLayout(this);
    const int margin = fontMetrics().height() / 2;
    layout->setContentsMargins(margin, margin / 2, margin / 2, margin / 2);
    layout->addLayout(texts, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);

    m_hide.setSingleShot(true);
    m_hide.setInterval(kShowMs);
    connect(&m_hide, &QTimer::timeout, this, [this] {
        if (window()->isActiveWindow() && !window()->isMinimized())
            hide();
        else
            m_hide.start(); // not seen yet
    });
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void NotificationToast::showNotification(const QString &conversation, const QString &title,
                                         const QString &text)
{
    m_conversation = conversation;
    m_title->setFullText(title);
    m_text->setFullText(text);
    setAccessibleName(tr("New message: %1").arg(title));
    setAccessibleDescription(text);
    setToolTip(tr("Click to open the chat"));
    reposition();
    show();
    raise();
    m_hide.start();
}

QString NotificationToast::title() const
{
    return m_title->text();
}

QString NotificationToast::text() const
{
    return m_text->text();
}

void NotificationToast::reposition()
{
    QWidget *host = parentWidget();
    if (!host)
        return;
    const int margin = fontMetrics().height();
    // Never wider than the window (minus margins): the texts elide instead.
    const int width = qMin(fontMetrics().averageCharWidth() * 48, host->width() - 2 * margin);
    const int height = sizeHint().height();
    setGeometry((host->width() - width) / 2, host->height() - height - margin * 4, width, height);
}

void NotificationToast::mouseReleaseEvent(QMouseEvent *event)
{
    QFrame::mouseReleaseEvent(event);
    activate();
}

void NotificationToast::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter ||
        event->key() == Qt::Key_Space) {
        activate();
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        hide();
        return;
    }
    QFrame::keyPressEvent(event);
}

void NotificationToast::activate()
{
    hide();
    emit activated(m_conversation);
}

} // namespace tern::app::ui
