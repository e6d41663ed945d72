/**
 * "What should I do now?": the cardholder picks what happened and gets the issuer's steps and
 * the channels open right now. It works before sign-in too, because a cardholder who lost the
 * card or the phone with the authenticator may not be able to sign in.
 */
import { type Situation, situationValues } from "@mimamori/contracts";
import { formatTime } from "../../shared/i18n.ts";
import { navigate } from "../../shared/route.ts";
import { LoadStatus } from "../components/load-status.tsx";
import { type GuidanceResultView, portal } from "../portal-api.ts";
import { usePortal } from "../portal-context.ts";
import { useLoad } from "../use-load.ts";

type ChannelView = GuidanceResultView["channels"]["openNow"][number];

export function HelpPage({ situation }: { situation: string | undefined }) {
  const { text } = usePortal();
  const chosen = situationValues.find((value) => value === situation);
  return (
    <section aria-labelledby="help-heading">
      <h2 id="help-heading">{text.helpTitle}</h2>
      <p id="help-intro">{text.helpIntro}</p>
      <ul className="situation-list" aria-labelledby="help-intro">
        {situationValues.map((value) => (
          <li key={value}>
            <button
              type="button"
              className={value === chosen ? "situation" : "situation secondary"}
              aria-pressed={value === chosen}
              onClick={() => navigate("help", value)}
            >
              {text.situation[value]}
            </button>
          </li>
        ))}
      </ul>
      {chosen === undefined ? null : <Guidance situation={chosen} />}
    </section>
  );
}

function Guidance({ situation }: { situation: Situation }) {
  const { lang } = usePortal();
  const { loaded, reload } = useLoad(`${situation}:${lang}`, () => portal.guidance(situation, lang));
  return (
    <LoadStatus loaded={loaded} onRetry={reload}>
      {(guidance) => <GuidanceDetail guidance={guidance} />}
    </LoadStatus>
  );
}

function GuidanceDetail({ guidance }: { guidance: GuidanceResultView }) {
  const { text, lang } = usePortal();
  const channels = [...guidance.channels.openNow, ...guidance.channels.closedNow];
  return (
    <article className="guidance" aria-labelledby="guidance-heading">
      <h3 id="guidance-heading">{guidance.title}</h3>
      <p>{guidance.summary}</p>
      <p className="muted">{text.guidanceAt(formatTime(guidance.at, lang, guidance.timeZone))}</p>

      {guidance.advice.length === 0 ? null : (
        <>
          <h4>{text.stepsHeading}</h4>
          <ol className="steps">
            {guidance.advice.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
        </>
      )}

      {guidance.selfService.length === 0 ? null : (
        <>
          <h4>{text.selfServiceHeading}</h4>
          <ul className="plain-list">
            {guidance.selfService.map((service) => (
              <li key={service.id} className="panel">
                <strong>{service.title}</strong>
                <p>{service.how}</p>
                <p className="muted">
                  {service.isAvailableNow ? text.availableNow : text.notAvailableNow} · {service.availability}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}

      {guidance.prepare.length === 0 ? null : (
        <>
          <h4>{text.prepareHeading}</h4>
          <ul>
            {guidance.prepare.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </>
      )}

      {channels.length === 0 ? null : (
        <>
          <h4>{text.channelsHeading}</h4>
          <ul className="plain-list">
            {channels.map((channel) => (
              <ChannelItem key={channel.id} channel={channel} />
            ))}
          </ul>
        </>
      )}

      {guidance.afterReissue.length === 0 ? null : (
        <>
          <h4>{text.afterReissueHeading}</h4>
          <ul>
            {guidance.afterReissue.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </>
      )}

      {guidance.reportTo.length === 0 ? null : (
        <>
          <h4>{text.reportToHeading}</h4>
          <ul className="plain-list">
            {guidance.reportTo.map((place) => (
              <li key={place.id} className="panel">
                <strong>{place.name}</strong>
                <p>{place.what}</p>
                {place.dial === null ? null : (
                  <p>
                    <a href={`tel:${place.dial.replace(/[^0-9+#*]/g, "")}`}>{text.callNumber(place.dial)}</a>
                  </p>
                )}
                {place.url === null ? null : (
                  <p>
                    <a href={place.url} rel="noopener noreferrer">
                      {place.url}
                    </a>
                  </p>
                )}
                {place.hours === null ? null : <p className="muted">{place.hours}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

function ChannelItem({ channel }: { channel: ChannelView }) {
  const { text } = usePortal();
  return (
    <li className="panel channel">
      <strong>{channel.name}</strong>
      {channel.isOpenNow === null ? null : (
        <p className={channel.isOpenNow ? "open-now" : "closed-now"}>
          {channel.isOpenNow ? text.openNow : text.closedNow}
          {channel.isOpenNow || channel.nextOpening === null
            ? null
            : ` · ${text.opensAt(channel.nextOpening.text)}`}
        </p>
      )}
      {channel.number === null ? null : (
        <p>
          <a href={`tel:${channel.number.replace(/[^0-9+#*]/g, "")}`}>{text.callNumber(channel.number)}</a>
        </p>
      )}
      {channel.where === null ? null : <p>{channel.where}</p>}
      <p className="muted">{channel.hours}</p>
      {channel.costText === null ? null : <p className="muted">{channel.costText}</p>}
    </li>
  );
}
