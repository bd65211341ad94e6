#pragma once

//! The app's button and menu icons: Lucide line drawings bundled as SVG, tinted with the palette.
//
// Each SVG is rendered at the size and device pixel ratio it is painted at (crisp at every scale)
// and recoloured with the palette's text colour — the disabled one when disabled, the highlighted
// one on a highlighted menu row, the accent for the send arrow — so one file serves light, dark
// and every scale factor. Rendered pixmaps are cached in QPixmapCache. A button given its icon
// with bind() gets it again, re-tinted, whenever its palette changes (a dark theme).

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QPixmap>
#include <QSize>

class QAbstractButton;
class QAction;
class QFontMetrics;

namespace tern::app::ui {

class Icons
{
public:
    enum class Icon : quint8 {
        Attach,
        Send,
        Search,
        Bell,
        BellOff,
        Info,
        NewChat,
        NewGroup,
        Menu,
        Back,
        Close,
        Settings,
        Profile,
        Server,
        Quit,
        ChevronUp,
        ChevronDown,
        Lock,
        LockOpen,
        Emoji,
    };
    //! Where the icon is shown; its colours follow from it.
    enum class Style : quint8 {
        Button, //!< button text colour
        Accent, //!< the accent colour (the send arrow)
        Menu,   //!< menu text colour, highlighted text on the highlighted row
    };

    //! The resource path of an icon's SVG (":/tern/icons/lucide/….svg"); also the QIcon's name().
    static QString resourcePath(Icon icon);
    //! The icon tinted for `palette`: every mode (normal, active, disabled, selected) has its
    //! colour.
    static QIcon icon(Icon icon, const QPalette &palette, Style style = Style::Button);
    //! Sets the icon on `button`, tinted from its palette, and again whenever that palette changes.
    //! Calling it again (the mute button's bell) replaces the icon.
    static void bind(QAbstractButton *button, Icon icon, Style style = Style::Button);
    //! Sets a menu action's icon tinted for `palette` (menus re-tint when they are shown).
    static void setIcon(QAction *action, Icon icon, const QPalette &palette);
    //! A button icon one text line high in `metrics`, so it grows with the font.
    static QSize buttonIconSize(const QFontMetrics &metrics);
    //! The colour an icon is drawn in, for `mode`.
    static QColor color(const QPalette &palette, QIcon::Mode mode, Style style);
    //! The icon in `color`, `deviceSize` pixels (cached).
    static QPixmap pixmap(Icon icon, const QColor &color, QSize deviceSize);
};

} // namespace tern::app::ui
