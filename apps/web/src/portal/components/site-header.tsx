/**
 * The header and the navigation. The language button is labelled in the language it switches
 * to, so a reader who cannot read the current one still finds it.
 */
import type { Lang } from "../../shared/i18n.ts";
import { LangSwitch } from "../../shared/lang-switch.tsx";
import { usePortal } from "../portal-context.ts";

export function SiteHeader({
  onSwitchLang,
  onSignOut,
}: {
  onSwitchLang: (lang: Lang) => void;
  onSignOut: (() => void) | null;
}) {
  const { text, lang } = usePortal();
  return (
    <header className="site-header">
      <h1 className="brand">
        {text.appName} <span className="brand-subtitle">{text.appSubtitle}</span>
      </h1>
      <div className="header-actions">
        <LangSwitch lang={lang} onSwitch={onSwitchLang} label={text.otherLanguageName} />
        {onSignOut === null ? null : (
          <button type="button" className="secondary" onClick={onSignOut}>
            {text.signOut}
          </button>
        )}
      </div>
    </header>
  );
}

type NavItem = { route: string; label: string };

export function SiteNav({ isSignedIn, current }: { isSignedIn: boolean; current: string }) {
  const { text } = usePortal();
  const items: NavItem[] = isSignedIn
    ? [
        { route: "", label: text.nav.home },
        { route: "reissue", label: text.nav.reissue },
        { route: "codes", label: text.nav.codes },
        { route: "check", label: text.nav.check },
        { route: "help", label: text.nav.help },
      ]
    : [
        { route: "", label: text.nav.signIn },
        { route: "help", label: text.nav.help },
      ];
  return (
    <nav className="site-nav" aria-label={text.navLabel}>
      <ul>
        {items.map((item) => (
          <li key={item.route}>
            <a href={`#/${item.route}`} aria-current={item.route === current ? "page" : undefined}>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
