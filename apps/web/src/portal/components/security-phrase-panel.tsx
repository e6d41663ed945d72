/**
 * The phrase every genuine message carries, shown where the cardholder looks most often, so that
 * a message without it stands out as not ours.
 */
import { usePortal } from "../portal-context.ts";

export function SecurityPhrasePanel({ phrase }: { phrase: string }) {
  const { text } = usePortal();
  return (
    <section className="panel security-phrase" aria-labelledby="security-phrase-heading">
      <h2 id="security-phrase-heading">{text.securityPhraseHeading}</h2>
      <p>
        {text.securityPhraseIntro}{" "}
        <strong className="phrase" data-testid="security-phrase">
          {phrase}
        </strong>
      </p>
      <p>{text.securityPhraseNever}</p>
    </section>
  );
}
