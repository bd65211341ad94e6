#include "app/ui/Icons.h"

#include "app/ui/Theme.h"

#include <QAbstractButton>
#include <QAction>
#include <QEvent>
#include <QFontMetrics>
#include <QIconEngine>
#include <QPaintDevice>
#include <QPainter>
#include <QPixmapCache>
#include <QSvgRenderer>

namespace tern::app::ui {

namespace {

const char *const kBoundIcon = "ternIcon";
const char *const kBoundStyle = "ternIconStyle";
const char *const kFollowing = "ternIconFollowsPalette";

//! Draws one icon in the colour of the mode asked for, at the pixel size asked for.
class TintedSvgEngine final : public QIconEngine
{
public:
    TintedSvgEngine(Icons::Icon icon, const QPalette &palette, Icons::Style style) : m_icon(icon)
    {
        for (QIcon::Mode mode : {QIcon::Normal, QIcon::Disabled, QIcon::Active, QIcon::Selected})
            m_colors[mode] = Icons::color(palette, mode, style);
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        QPixmap pm = pixmap((QSizeF(rect.size()) * dpr).toSize(), mode, state);
        pm.setDevicePixelRatio(dpr);
        const QSizeF logical = QSizeF(pm.size()) / dpr;
        painter->drawPixmap(QPointF(rect.x() + (rect.width() - logical.width()) / 2,
                                    rect.y() + (rect.height() - logical.height()) / 2),
                            pm);
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State) override
    {
        return Icons::pixmap(m_icon, m_colors[mode], size);
    }
    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override
    {
        const int side = qMin(size.width(), size.height()); // the drawings are square
        return {side, side};
    }
    QIconEngine *clone() const override { return new TintedSvgEngine(*this); }
    QString key() const override { return QStringLiteral("TernTintedSvg"); }
    QString iconName() override { return Icons::resourcePath(m_icon); }
    bool isNull() override { return false; }

private:
    Icons::Icon m_icon;
    QColor m_colors[4]; // by QIcon::Mode
};

//! Gives its button the icon again when the button's palette changes.
class PaletteFollower final : public QObject
{
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::PaletteChange)
            retint(static_cast<QAbstractButton *>(watched));
        return QObject::eventFilter(watched, event);
    }
    static void retint(QAbstractButton *button)
    {
        const auto icon = Icons::Icon(button->property(kBoundIcon).toInt());
        const auto style = Icons::Style(button->property(kBoundStyle).toInt());
        button->setIcon(Icons::icon(icon, button->palette(), style));
    }
};

} // namespace

QString Icons::resourcePath(Icon icon)
{
    const auto path = [](const char *name) {
        return QStringLiteral(":/tern/icons/lucide/%1.svg").arg(QLatin1String(name));
    };
    switch (icon) {
    case Icon::Attach:
        return path("paperclip");
    case Icon::Send:
        return path("send-horizontal");
    case Icon::Search:
        return path("search");
    case Icon::Bell:
        return path("bell");
    case Icon::BellOff:
        return path("bell-off");
    case Icon::Info:
        return path("info");
    case Icon::NewChat:
        return path("message-square-plus");
    case Icon::NewGroup:
        return path("users");
    case Icon::Menu:
        return path("menu");
    case Icon::Back:
        return path("arrow-left");
    case Icon::Close:
        return path("x");
    case Icon::Settings:
        return path("settings");
    case Icon::Profile:
        return path("circle-user");
    case Icon::Server:
        return path("server");
    case Icon::Quit:
        return path("power");
    case Icon::ChevronUp:
        return path("chevron-up");
    case Icon::ChevronDown:
        return path("chevron-down");
    case Icon::Lock:
        return path("lock");
    case Icon::LockOpen:
        return path("lock-open");
    case Icon::Emoji:
        return path("smile");
    }
    return {};
}

QColor Icons::color(const QPalette &palette, QIcon::Mode mode, Style style)
{
    const QPalette::ColorRole text = style == Style::Menu ? QPalette::Text : QPalette::ButtonText;
    switch (mode) {
    case QIcon::Disabled:
        return palette.color(QPalette::Disabled, text);
    case QIcon::Selected:
        return palette.color(QPalette::Active, QPalette::HighlightedText);
    case QIcon::Active: // hovered: a menu row is highlighted then, a button is not
        if (style == Style::Menu)
            return palette.color(QPalette::Active, QPalette::HighlightedText);
        break;
    case QIcon::Normal:
        break;
    }
    return style == Style::Accent ? Theme::accent(palette) : palette.color(QPalette::Active, text);
}

QIcon Icons::icon(Icon icon, const QPalette &palette, Style style)
{
    return QIcon(new TintedSvgEngine(icon, palette, style));
}

void Icons::bind(QAbstractButton *button, Icon icon, Style style)
{
    button->setProperty(kBoundIcon, int(icon));
    button->setProperty(kBoundStyle, int(style));
    if (!button->property(kFollowing).toBool()) {
        button->setProperty(kFollowing, true);
        button->installEventFilter(new PaletteFollower(button));
    }
    PaletteFollower::retint(button);
}

void Icons::setIcon(QAction *action, Icon icon, const QPalette &palette)
{
    action->setIcon(Icons::icon(icon, palette, Style::Menu));
}

QSize Icons::buttonIconSize(const QFontMetrics &metrics)
{
    // Lucide draws on a 24-unit grid with 2-unit strokes: at a line's height (16–20 px at the
    // usual fonts) the strokes stay over a pixel wide; never below 16 px.
    const int side = qMax(16, metrics.height() + 2);
    return {side, side};
}

QPixmap Icons::pixmap(Icon icon, const QColor &color, QSize deviceSize)
{
    const int side = qMin(deviceSize.width(), deviceSize.height());
    if (side <= 0)
        return {};
    const QString key = QStringLiteral("tern-icon/%1/%2/%3")
                            .arg(int(icon))
                            .arg(color.rgba(), 8, 16, QLatin1Char('0'))
                            .arg(side);
    QPixmap cached;
    if (QPixmapCache::find(key, &cached))
        return cached;

    QImage image(side, side, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        QSvgRenderer renderer(resourcePath(icon));
        renderer.render(&painter, QRectF(0, 0, side, side));
        // Keep the drawing's alpha, replace its colour.
        painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
        painter.fillRect(image.rect(), color);
    }
    const QPixmap result = QPixmap::fromImage(std::move(image));
    QPixmapCache::insert(key, result);
    return result;
}

} // namespace tern::app::ui
