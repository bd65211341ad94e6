#pragma once

//! A popup grid of emoji to choose from: a search field (English names), a row of category tabs
//! led by "Recently used", and the grid. Fully keyboard-driven: type to search, arrows to move,
//! Enter chooses, Esc closes. Reusable: the composer inserts the choice, reactions (next) send it.
//
// The recently used emoji (newest first, at most kMaxRecent) live in the profile's AppSettings
// when one is given, so they lead the picker after a restart too; the "Recently used" tab opens
// first when there are any, and they come first in search results. Emoji are drawn from the
// colour emoji font like everywhere else (Emoji::emojiFirst).

#include <QFrame>
#include <QStringList>

class QLabel;
class QLineEdit;
class QListWidget;
class QTabBar;

namespace tern::app::session {
class AppSettings;
}

namespace tern::app::ui {

class EmojiPicker : public QFrame
{
    Q_OBJECT
public:
    //! The "Recently used" tab; the others are EmojiCatalog::Category values.
    static constexpr int kRecentTab = -1;
    static constexpr int kMaxRecent = 24;

    explicit EmojiPicker(QWidget *parent = nullptr);

    //! Where the recently used emoji are kept (not owned; may be null: kept in memory only).
    void setSettings(session::AppSettings *settings);
    session::AppSettings *settings() const { return m_settings; }
    //! Opens as a popup by `anchor`: above it when there is room on its screen, else below,
    //! right edges aligned; the search field empty and focused.
    void popup(QWidget *anchor);
    //! Shows one tab (kRecentTab or a category) with the search cleared.
    void showTab(int tab);
    int currentTab() const { return m_tab; }
    //! Newest first.
    QStringList recent() const;
    //! Puts `emoji` first in the recently used (what choosing one does).
    void noteUsed(const QString &emoji);
    //! The emoji shown, in grid order.
    QStringList shownEmoji() const;

    QLineEdit *searchField() const { return m_search; }
    QListWidget *grid() const { return m_grid; }
    QTabBar *tabBar() const { return m_tabs; }

signals:
    //! The user chose `emoji` (click, or Enter); the picker has closed itself.
    void emojiChosen(const QString &emoji);
    //! The popup was closed (chosen, Esc, or a click elsewhere).
    void closed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void fill(const QStringList &emoji);
    void refresh();
    void chooseCurrent();
    void choose(const QString &emoji);
    void retranslate();
    void applyFonts();

    session::AppSettings *m_settings = nullptr;
    QStringList m_recent; // without settings
    QLineEdit *m_search;
    QTabBar *m_tabs; // "Recently used" first, then each category
    QListWidget *m_grid;
    QLabel *m_empty;
    int m_tab = kRecentTab;
};

} // namespace tern::app::ui
