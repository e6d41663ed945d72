/**
 * Every ratio and parameter of the synthetic issuer, in one place. The history generator, the
 * campaign injector and the demo issuer read only this object, so a reader can see what the
 * synthetic world looks like without reading the code that draws from it.
 */

export const countryCodes = ["JP", "US", "GB", "KR", "TW", "FR", "TH", "SG", "HK"] as const;
export type CountryCode = (typeof countryCodes)[number];

export const categoryKeys = [
  "grocery",
  "convenience",
  "restaurant",
  "fastFood",
  "fuel",
  "drugStore",
  "department",
  "electronics",
  "gamesToys",
  "digital",
  "giftCard",
  "airline",
  "hotel",
  "atm",
  "gambling",
  "moneyTransfer",
  "quasiCash",
  "donation",
  "subscription",
] as const;
export type CategoryKey = (typeof categoryKeys)[number];

export const campaignKinds = [
  "stolen_number_abroad_night",
  "resellable_burst",
  "card_testing",
  "compromised_terminal",
  "lost_card_shops",
] as const;
export type CampaignKind = (typeof campaignKinds)[number];

/** A shopping district: merchants cluster in one, and a cardholder's usual shops sit in theirs. */
export type AreaConfig = { readonly name: string; readonly nameJa?: string; readonly timeZone: string };

export type CountryConfig = {
  readonly currency: string;
  readonly merchants: number;
  /** The calling code, used as the country's group in synthetic IP addresses. */
  readonly callingCode: string;
  readonly areas: readonly AreaConfig[];
};

export type CategoryConfig = {
  readonly mccs: readonly string[];
  /** Relative share of the catalogue's merchants. */
  readonly catalogueWeight: number;
  /** Relative weight among a cardholder's usual card-present shops; 0 means never card-present. */
  readonly presentWeight: number;
  /** Relative weight among a cardholder's usual online shops; 0 means never online. */
  readonly onlineWeight: number;
  /** Terminals per merchant, inclusive; [0, 0] for merchants that only sell online. */
  readonly terminals: readonly [number, number];
  /** A typical genuine purchase in yen and the spread (sigma of the log) around it. */
  readonly amountMedianJpy: number;
  readonly amountSigma: number;
  readonly namesJa: readonly string[];
  readonly names: readonly string[];
};

/** An inclusive integer range. */
type Range = readonly [number, number];

export const simulationConfig = {
  /** Where cardholders live: a Japanese issuer, with some foreign residents' home abroad. */
  homeCountryShares: { JP: 0.88, US: 0.04, GB: 0.03, KR: 0.03, TW: 0.02 } satisfies Partial<
    Record<CountryCode, number>
  >,

  /**
   * Every zone has a whole-hour UTC offset, so one UTC hour of simulation is one local hour
   * everywhere; the generator asserts it.
   */
  countries: {
    JP: {
      currency: "JPY",
      merchants: 400,
      callingCode: "81",
      areas: [
        { name: "Shinjuku", nameJa: "新宿", timeZone: "Asia/Tokyo" },
        { name: "Shibuya", nameJa: "渋谷", timeZone: "Asia/Tokyo" },
        { name: "Ikebukuro", nameJa: "池袋", timeZone: "Asia/Tokyo" },
        { name: "Yokohama", nameJa: "横浜", timeZone: "Asia/Tokyo" },
        { name: "Umeda", nameJa: "梅田", timeZone: "Asia/Tokyo" },
        { name: "Namba", nameJa: "難波", timeZone: "Asia/Tokyo" },
        { name: "Sakae", nameJa: "栄", timeZone: "Asia/Tokyo" },
        { name: "Tenjin", nameJa: "天神", timeZone: "Asia/Tokyo" },
        { name: "Sapporo", nameJa: "札幌", timeZone: "Asia/Tokyo" },
        { name: "Sendai", nameJa: "仙台", timeZone: "Asia/Tokyo" },
        { name: "Kyoto", nameJa: "京都", timeZone: "Asia/Tokyo" },
        { name: "Kobe", nameJa: "神戸", timeZone: "Asia/Tokyo" },
      ],
    },
    US: {
      currency: "USD",
      merchants: 300,
      callingCode: "1",
      areas: [
        { name: "Manhattan", timeZone: "America/New_York" },
        { name: "Brooklyn", timeZone: "America/New_York" },
        { name: "Santa Monica", timeZone: "America/Los_Angeles" },
        { name: "Pasadena", timeZone: "America/Los_Angeles" },
        { name: "Waikiki", timeZone: "Pacific/Honolulu" },
        { name: "Chicago Loop", timeZone: "America/Chicago" },
      ],
    },
    GB: {
      currency: "GBP",
      merchants: 200,
      callingCode: "44",
      areas: [
        { name: "Soho", timeZone: "Europe/London" },
        { name: "Camden", timeZone: "Europe/London" },
        { name: "Manchester", timeZone: "Europe/London" },
        { name: "Edinburgh", timeZone: "Europe/London" },
      ],
    },
    KR: {
      currency: "KRW",
      merchants: 200,
      callingCode: "82",
      areas: [
        { name: "Myeongdong", timeZone: "Asia/Seoul" },
        { name: "Gangnam", timeZone: "Asia/Seoul" },
        { name: "Hongdae", timeZone: "Asia/Seoul" },
        { name: "Busan", timeZone: "Asia/Seoul" },
      ],
    },
    TW: {
      currency: "TWD",
      merchants: 200,
      callingCode: "886",
      areas: [
        { name: "Ximending", timeZone: "Asia/Taipei" },
        { name: "Xinyi", timeZone: "Asia/Taipei" },
        { name: "Taichung", timeZone: "Asia/Taipei" },
        { name: "Kaohsiung", timeZone: "Asia/Taipei" },
      ],
    },
    FR: {
      currency: "EUR",
      merchants: 200,
      callingCode: "33",
      areas: [
        { name: "Le Marais", timeZone: "Europe/Paris" },
        { name: "Saint-Germain", timeZone: "Europe/Paris" },
        { name: "Montmartre", timeZone: "Europe/Paris" },
        { name: "Nice", timeZone: "Europe/Paris" },
      ],
    },
    TH: {
      currency: "THB",
      merchants: 200,
      callingCode: "66",
      areas: [
        { name: "Sukhumvit", timeZone: "Asia/Bangkok" },
        { name: "Silom", timeZone: "Asia/Bangkok" },
        { name: "Chiang Mai", timeZone: "Asia/Bangkok" },
        { name: "Phuket", timeZone: "Asia/Bangkok" },
      ],
    },
    SG: {
      currency: "SGD",
      merchants: 200,
      callingCode: "65",
      areas: [
        { name: "Orchard", timeZone: "Asia/Singapore" },
        { name: "Marina Bay", timeZone: "Asia/Singapore" },
        { name: "Chinatown", timeZone: "Asia/Singapore" },
        { name: "Bugis", timeZone: "Asia/Singapore" },
      ],
    },
    HK: {
      currency: "HKD",
      merchants: 200,
      callingCode: "852",
      areas: [
        { name: "Central", timeZone: "Asia/Hong_Kong" },
        { name: "Mong Kok", timeZone: "Asia/Hong_Kong" },
        { name: "Tsim Sha Tsui", timeZone: "Asia/Hong_Kong" },
        { name: "Causeway Bay", timeZone: "Asia/Hong_Kong" },
      ],
    },
  } satisfies Record<CountryCode, CountryConfig>,

  /**
   * Merchant categories with realistic MCCs. Names are invented: a chain that shares a name with a
   * real company would make synthetic fraud look like an accusation.
   */
  categories: {
    grocery: {
      mccs: ["5411"],
      catalogueWeight: 10,
      presentWeight: 22,
      onlineWeight: 2,
      terminals: [3, 8],
      amountMedianJpy: 2_600,
      amountSigma: 0.6,
      namesJa: [
        "まるや食品",
        "スーパーたかの",
        "フレッシュ市場",
        "さくらストア",
        "やまびこマート",
        "青葉フーズ",
      ],
      names: ["Fresh Mart", "Green Grocer", "Daily Harvest", "Corner Foods", "Market Square"],
    },
    convenience: {
      mccs: ["5499"],
      catalogueWeight: 10,
      presentWeight: 24,
      onlineWeight: 0,
      terminals: [1, 3],
      amountMedianJpy: 750,
      amountSigma: 0.6,
      namesJa: ["コンビニあおば", "デイリーポケット", "ほしのマート", "まちかどストア", "ニコマート"],
      names: ["QuickStop", "Hoshi Mart", "Corner 24", "Express Mini", "Daily Stop"],
    },
    restaurant: {
      mccs: ["5812"],
      catalogueWeight: 10,
      presentWeight: 10,
      onlineWeight: 1,
      terminals: [1, 3],
      amountMedianJpy: 3_800,
      amountSigma: 0.7,
      namesJa: ["和食処 ゆず", "炭火焼 たけ", "すし 匠", "中華 龍門", "イタリア食堂 ルーチェ", "洋食 つばめ"],
      names: ["Bistro Kumo", "Trattoria Sole", "The Oak Table", "Blue Harbor Grill", "Golden Dragon"],
    },
    fastFood: {
      mccs: ["5814"],
      catalogueWeight: 8,
      presentWeight: 12,
      onlineWeight: 2,
      terminals: [1, 3],
      amountMedianJpy: 950,
      amountSigma: 0.5,
      namesJa: ["そば処 一休", "牛丼 とら屋", "カフェ モリ", "たい焼き ひなた", "ラーメン 風来"],
      names: ["Burger Hut", "Coffee Lamp", "Noodle Box", "Taco Corner", "Bagel Bros"],
    },
    fuel: {
      mccs: ["5541"],
      catalogueWeight: 4,
      presentWeight: 5,
      onlineWeight: 0,
      terminals: [2, 6],
      amountMedianJpy: 5_500,
      amountSigma: 0.35,
      namesJa: ["あおぞら石油", "ミナト石油 SS", "きた燃料", "ひかり石油"],
      names: ["Sun Fuel", "Kita Oil", "Highway Gas", "Coastal Fuel"],
    },
    drugStore: {
      mccs: ["5912"],
      catalogueWeight: 6,
      presentWeight: 8,
      onlineWeight: 1,
      terminals: [1, 4],
      amountMedianJpy: 2_100,
      amountSigma: 0.6,
      namesJa: ["くすりのハナ", "ドラッグ ミドリ", "ウエルネス薬局", "ひまわり薬局"],
      names: ["Sakura Drug", "Care Pharmacy", "Well Drug", "City Chemist"],
    },
    department: {
      mccs: ["5311"],
      catalogueWeight: 4,
      presentWeight: 4,
      onlineWeight: 4,
      terminals: [4, 12],
      amountMedianJpy: 9_000,
      amountSigma: 0.8,
      namesJa: ["丸井屋百貨店", "ミツワ百貨店", "大和百貨店", "つばさ百貨店"],
      names: ["Hoshizora Dept.", "Grand Emporium", "Harbor Department Store", "Maison Lumiere"],
    },
    electronics: {
      mccs: ["5732"],
      catalogueWeight: 4,
      presentWeight: 2,
      onlineWeight: 5,
      terminals: [2, 6],
      amountMedianJpy: 14_000,
      amountSigma: 1.0,
      namesJa: ["デンキのアオイ", "カメラのヒカリ", "デジタル館 ソラ", "電器のミライ"],
      names: ["Elec Plaza", "Volt Denki", "Gadget Hub", "Pixel Electronics"],
    },
    gamesToys: {
      mccs: ["5945"],
      catalogueWeight: 3,
      presentWeight: 1.5,
      onlineWeight: 3,
      terminals: [1, 3],
      amountMedianJpy: 5_500,
      amountSigma: 0.7,
      namesJa: ["ホビーショップ ネコ", "トイ・パーク", "おもちゃのモリ", "ゲームのツバサ"],
      names: ["Game Land Hikari", "Toy Planet", "Play Arcade Store", "Hobby Corner"],
    },
    digital: {
      mccs: ["5815", "5816", "5817", "5818"],
      catalogueWeight: 5,
      presentWeight: 0,
      onlineWeight: 14,
      terminals: [0, 0],
      amountMedianJpy: 1_200,
      amountSigma: 0.8,
      namesJa: ["DLストア クモ", "ゲームポイント ホシ", "電子書籍 ミライ", "アニメ配信プラス"],
      names: ["App Mart", "eBook Cloud", "Game Credits Online", "Stream Plus Store"],
    },
    giftCard: {
      mccs: ["6540", "5999"],
      catalogueWeight: 3,
      presentWeight: 0.3,
      onlineWeight: 1,
      terminals: [1, 2],
      amountMedianJpy: 5_000,
      amountSigma: 0.5,
      namesJa: ["ギフトカードモール", "プリペイドセンター", "ポイントチャージ", "ギフトの森"],
      names: ["Gift Square", "Card Kiosk", "Prepaid Hub", "Gift Express"],
    },
    airline: {
      mccs: ["4511"],
      catalogueWeight: 2,
      presentWeight: 0,
      onlineWeight: 1.2,
      terminals: [0, 0],
      amountMedianJpy: 38_000,
      amountSigma: 0.7,
      namesJa: ["ミナミ航空", "あおぞらエア"],
      names: ["Sky Japan Air", "Pacific Wing", "Blue Crane Airways", "Northern Star Air"],
    },
    hotel: {
      mccs: ["7011"],
      catalogueWeight: 4,
      presentWeight: 0.6,
      onlineWeight: 1.5,
      terminals: [1, 2],
      amountMedianJpy: 16_000,
      amountSigma: 0.6,
      namesJa: ["ホテル ミカゲ", "旅館 ゆのか", "ホテル 青葉", "ビジネスホテル つばめ"],
      names: ["Grand Hotel", "Inn Sakura", "Harbor View Hotel", "City Lodge"],
    },
    atm: {
      mccs: ["6011"],
      catalogueWeight: 4,
      presentWeight: 0,
      onlineWeight: 0,
      terminals: [1, 4],
      amountMedianJpy: 20_000,
      amountSigma: 0.5,
      namesJa: ["ATM みどり銀行", "キャッシュポイント あおば", "ATM ひかり銀行"],
      names: ["Cash Point", "City Bank ATM", "Metro ATM"],
    },
    gambling: {
      mccs: ["7995"],
      catalogueWeight: 1,
      presentWeight: 0,
      onlineWeight: 0.2,
      terminals: [0, 0],
      amountMedianJpy: 5_000,
      amountSigma: 0.8,
      namesJa: ["オンラインカジノ ラッキー"],
      names: ["Spin Palace Online", "Royal Bet", "Lucky Star Casino"],
    },
    moneyTransfer: {
      mccs: ["4829"],
      catalogueWeight: 1,
      presentWeight: 0,
      onlineWeight: 0.3,
      terminals: [0, 0],
      amountMedianJpy: 20_000,
      amountSigma: 0.8,
      namesJa: ["ソウキン24", "かんたん送金"],
      names: ["QuickRemit", "Global Pay Transfer", "SendFast"],
    },
    quasiCash: {
      mccs: ["6051"],
      catalogueWeight: 1,
      presentWeight: 0,
      onlineWeight: 0.2,
      terminals: [0, 0],
      amountMedianJpy: 10_000,
      amountSigma: 0.8,
      namesJa: ["暗号資産取引所 カゼ", "ウォレットチャージ"],
      names: ["Coin Gate", "Crypto Exchange Kaze", "Wallet Top-up"],
    },
    donation: {
      mccs: ["8398"],
      catalogueWeight: 1,
      presentWeight: 0,
      onlineWeight: 0.2,
      terminals: [0, 0],
      amountMedianJpy: 3_000,
      amountSigma: 0.7,
      namesJa: ["あおぞら募金", "子ども未来基金"],
      names: ["Hope Relief Fund", "Open Hands Charity"],
    },
    subscription: {
      mccs: ["4899", "4814", "7997", "5968"],
      catalogueWeight: 3,
      presentWeight: 0,
      onlineWeight: 0,
      terminals: [0, 0],
      amountMedianJpy: 1_500,
      amountSigma: 0.6,
      namesJa: ["ミライモバイル", "動画配信ソラ", "フィットクラブ風", "コーヒー定期便"],
      names: ["Stream Sora", "Music Cloud", "Fit Club", "News Daily"],
    },
  } satisfies Record<CategoryKey, CategoryConfig>,

  /** Japanese merchants get a Japanese name this often, a latin one otherwise (a real mix). */
  japaneseNameShare: 0.7,

  habits: {
    /** Genuine authorizations per day: lognormal across cardholders, clipped to stay plausible. */
    dailyAuthorizationsMedian: 1.8,
    dailyAuthorizationsSigma: 0.5,
    dailyAuthorizationsRange: [0.2, 8] as Range,
    /** Saturdays and Sundays carry a little more card spending. */
    weekendFactor: 1.15,
    /** A cardholder's spending level multiplies every typical amount (lognormal, median 1). */
    amountLevelSigma: 0.5,
    /** The chance that an authorization is e-commerce, uniform in this range per cardholder. */
    ecommerceShare: [0.05, 0.45] as Range,
    /** The chance that a card-present purchase under the limit is tapped, per cardholder. */
    contactlessShare: [0.2, 0.9] as Range,
    /** Tap-to-pay without PIN is capped near ¥10,000 in Japan; larger card-present buys are "pos". */
    contactlessLimitJpy: 10_000,
    /** Cash withdrawals among card-present authorizations (card cash advance is rare in Japan). */
    atmShare: 0.02,
    /** Mail or telephone orders: rare, but a channel the engine must see. */
    motoShare: 0.004,
    /** A purchase at a shop outside the cardholder's usual set. */
    exploreShare: 0.05,
    /** The usual shops sit in the home area this often, elsewhere in the home country otherwise. */
    homeAreaShare: 0.85,
    usualPresentMerchants: [8, 20] as Range,
    usualOnlineMerchants: [2, 6] as Range,
    /** Usual online shops abroad (a US app store, a UK retailer). */
    foreignOnlineShare: 0.25,
    foreignOnlineCountries: ["US", "GB", "HK", "SG", "KR"] as const,
    /** A second card (family or business) holds some of the spending. */
    secondCardShare: 0.12,
    secondCardUse: 0.3,
    devices: [1, 3] as Range,
    /** E-commerce from the mobile network rather than the home line. */
    mobileIpShare: 0.3,
    subscriptions: [0, 2] as Range,
    /** Monthly prices in yen; a foreign service charges the equivalent, ending in .99. */
    subscriptionPricesJpy: [490, 980, 1_490, 1_990, 2_980, 4_400, 7_800],
    /** Recurring billing runs early in the morning, local time. */
    subscriptionHours: [2, 7] as Range,
    /** Days of month kept at most 28 so every month has the billing day. */
    subscriptionDayOfMonthMax: 28,
    foreignSubscriptionShare: 0.2,
    /**
     * When in the local day a cardholder spends, per archetype: relative weights for hours 00–23.
     * Most spending falls between 07:00 and 22:00; the night hours keep a small genuine share so
     * that "night" alone is not a fraud label.
     */
    hourProfiles: [
      [0.3, 0.15, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 2.5, 3, 4, 5, 7, 5.5, 4.5, 4.5, 5, 6, 7, 6.5, 5, 3.5, 2, 0.8],
      [
        0.2, 0.1, 0.1, 0.1, 0.2, 0.8, 3, 6, 6, 4.5, 4, 4.5, 6.5, 4.5, 3.5, 3.5, 4, 4.5, 4.5, 3.5, 2.5, 1.5,
        0.8, 0.4,
      ],
      [
        1.2, 0.6, 0.3, 0.2, 0.1, 0.1, 0.3, 0.8, 1.5, 2, 3, 4, 5.5, 4.5, 3.5, 3.5, 4, 5.5, 7, 7.5, 7, 6, 4.5,
        2.5,
      ],
    ] as readonly (readonly number[])[],
  },

  travel: {
    /** Cardholders who travel abroad at all; the rest never leave home in the simulation. */
    travellerShare: 0.35,
    /** Trips per year for a traveller: a trip starts on any given day with rate / 365. */
    tripsPerYear: 4,
    tripDays: [3, 8] as Range,
    /** Travel spending runs higher than daily spending at home. */
    amountFactor: 1.6,
    /** E-commerce continues abroad at this fraction of the usual share, from the hotel's network. */
    ecommerceFactor: 0.3,
    /** Shops used on one trip: a hotel plus this many around the destination area. */
    tripMerchants: [6, 12] as Range,
    destinations: {
      JP: { KR: 0.2, TW: 0.18, US: 0.2, TH: 0.1, SG: 0.08, HK: 0.1, FR: 0.08, GB: 0.06 },
      US: { JP: 0.5, GB: 0.15, FR: 0.15, KR: 0.1, HK: 0.1 },
      GB: { JP: 0.4, FR: 0.3, US: 0.2, TH: 0.1 },
      KR: { JP: 0.6, TW: 0.15, TH: 0.15, US: 0.1 },
      TW: { JP: 0.6, KR: 0.2, HK: 0.1, SG: 0.1 },
    } satisfies Partial<Record<CountryCode, Partial<Record<CountryCode, number>>>>,
  },

  /**
   * Fraud campaigns. `perThousandCardholderDays` sets how many start; together they give about
   * 16 fraudulent rows per 1,000 cardholder-days against about 2,100 genuine ones, so ≈0.75% of
   * authorizations are fraud. Counts are stratified (the expected count, rounded by a coin), and
   * every campaign starts at least once, so a small world still exercises every detector.
   */
  campaigns: {
    /** A card number bought online, used from abroad while the cardholder sleeps. */
    stolen_number_abroad_night: {
      perThousandCardholderDays: 0.8,
      attempts: [2, 5] as Range,
      /** The first attempt starts at 00:00–03:59 local, so the last one still lands before 05:00. */
      localHours: [0, 3] as Range,
      gapMinutes: [1, 12] as Range,
      firstAmountMedianJpy: 9_000,
      firstAmountSigma: 0.5,
      /** Each attempt asks for more than the last, as fraudsters probe the limit. */
      amountGrowth: [1.3, 2.2] as Range,
      sameMerchantShare: 0.5,
      merchantCategories: ["electronics", "digital", "giftCard", "department", "moneyTransfer"] as const,
      merchantCountries: ["US", "GB", "FR", "HK", "SG", "TH"] as const,
    },
    /** Goods that turn into cash quickly: gift cards, consoles, electronics. */
    resellable_burst: {
      perThousandCardholderDays: 0.6,
      purchases: [4, 8] as Range,
      windowMinutes: 10,
      ecommerceShare: 0.7,
      /** Online bursts often come through a residential proxy in the cardholder's own country. */
      homeProxyShare: 0.5,
      foreignMerchantShare: 0.25,
      foreignMerchantCountries: ["US", "GB", "HK", "SG"] as const,
      merchantCategories: ["giftCard", "gamesToys", "electronics"] as const,
      giftCardAmountsJpy: [5_000, 10_000, 20_000, 30_000, 50_000],
      consoleAmountsJpy: [29_980, 49_980, 66_980, 79_980],
      electronicsMedianJpy: 60_000,
      electronicsSigma: 0.5,
    },
    /** Many tiny authorizations check that a number works, then one large purchase cashes out. */
    card_testing: {
      perThousandCardholderDays: 0.25,
      tests: [5, 20] as Range,
      testMerchants: [2, 5] as Range,
      testGapSeconds: [5, 90] as Range,
      /** Tiny amounts: ¥1–¥500 at home, 50–300 minor units ($0.50–$3.00) abroad. */
      testAmountJpy: [1, 500] as Range,
      testAmountMinorForeign: [50, 300] as Range,
      foreignShare: 0.6,
      testMerchantCategories: ["digital", "donation"] as const,
      /** Only two-decimal currencies, so the foreign tiny range reads as cents. */
      testMerchantCountries: ["US", "GB", "FR"] as const,
      cashOutDelayMinutes: [3, 45] as Range,
      /** The cash-out is at a shop in the tested country this often, in the cardholder's otherwise. */
      cashOutAtTestCountryShare: 0.5,
      cashOutMedianJpy: 120_000,
      cashOutSigma: 0.5,
      cashOutCategories: ["electronics", "giftCard", "quasiCash"] as const,
    },
    /** A skimmer at one terminal: genuine visits there, counterfeit use a few days later. */
    compromised_terminal: {
      perThousandCardholderDays: 0.1,
      skimmedCards: [8, 25] as Range,
      skimWindowDays: [2, 6] as Range,
      visitLocalHours: [8, 21] as Range,
      merchantCategories: ["fuel", "restaurant", "convenience", "grocery"] as const,
      fraudDelayDays: [3, 10] as Range,
      usesPerCard: [1, 3] as Range,
      useGapMinutes: [10, 120] as Range,
      foreignUseShare: 0.6,
      useCountries: ["US", "TH", "HK", "KR", "TW", "GB", "FR", "SG"] as const,
      useCategories: ["electronics", "department", "atm", "giftCard"] as const,
      useMedianJpy: 60_000,
      useSigma: 0.5,
    },
    /** A lost card tapped at nearby shops under the no-PIN limit, then used for bigger buys. */
    lost_card_shops: {
      perThousandCardholderDays: 0.5,
      smallPurchases: [3, 6] as Range,
      bigPurchases: [1, 2] as Range,
      gapMinutes: [2, 15] as Range,
      localHours: [10, 20] as Range,
      smallMedianJpy: 5_000,
      smallSigma: 0.4,
      bigMedianJpy: 45_000,
      bigSigma: 0.4,
      smallCategories: ["convenience", "drugStore", "grocery", "fastFood", "department"] as const,
      bigCategories: ["electronics", "department"] as const,
    },
  },

  /** Countries fraudsters connect from; a fraud IP is never in the cardholder's home country. */
  fraudIpCallingCodes: { VN: "84", CN: "86", RU: "7", NG: "234", BR: "55", US: "1", ID: "62", PH: "63" },

  /** Fraud rows over all rows: the campaigns aim at ≈0.75%; a small world may drift within this. */
  fraudRateBand: { min: 0.004, max: 0.012 },
} as const;
