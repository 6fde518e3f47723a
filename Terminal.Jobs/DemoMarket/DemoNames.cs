namespace Terminal.Jobs.DemoMarket;

/// <summary>Word lists the demo market builds its handles and titles from.</summary>
internal static class DemoNames
{
    public static readonly (string Slug, string Name, string[] Suffixes, string[] VodTitles, string[] ClipTitles)[] Topics =
    [
        ("brain-rot-edits", "Brain-rot edits", ["edits", "core", "brainrot", "sigma", "aura"], ["Ultimate edit compilation vol. {n}", "Sigma moments marathon #{n}", "Phonk edits live build {n}"], ["this edit goes crazy", "aura +1000", "peak brain rot", "bro really did that"]),
        ("streamer-clips", "Streamer clips", ["live", "streams", "ttv", "irl"], ["IRL stream day {n}", "Subathon hour {n}", "Late-night stream #{n}", "Chat decides everything {n}"], ["chat went insane", "caught in 4k on stream", "the donation that broke him", "streamer loses it"]),
        ("podcast-clips", "Podcast clips", ["pod", "talks", "cast", "show"], ["Ep. {n}: the honest hour", "Ep. {n}: money, fame and fear", "Ep. {n} with a surprise guest", "Ep. {n}: unfiltered"], ["the take nobody expected", "guest goes off", "this advice changed me", "they said WHAT"]),
        ("gaming", "Gaming", ["plays", "gg", "gaming", "fps"], ["Ranked grind #{n}", "Speedrun attempts {n}", "Hardcore run day {n}", "Tournament scrims {n}"], ["1v5 clutch", "the worst throw ever", "insane flick", "world record pace"]),
        ("sports", "Sports", ["hoops", "ball", "fc", "sports"], ["Game {n} full breakdown", "Training session {n}", "Match day vlog {n}", "Draft night reactions {n}"], ["ankle breaker", "last-second winner", "coach was furious", "unreal finish"]),
        ("comedy-skits", "Comedy skits", ["laughs", "skits", "funny", "jokes"], ["Sketch night {n}", "Improv hour {n}", "Roast session {n}"], ["this skit is too real", "he broke character", "crowd work gone wrong"]),
        ("reaction", "Reaction", ["reacts", "watch", "tv", "views"], ["Reacting to your videos {n}", "Watch party {n}", "Reaction marathon {n}"], ["his face says it all", "can't believe this", "reaction of the year"]),
        ("finance", "Finance bros", ["money", "capital", "invests", "finance"], ["Market open live {n}", "Portfolio review {n}", "Q&A: getting rich slowly {n}"], ["the trade that paid off", "do NOT do this with money", "he called the top"]),
        ("fitness", "Fitness", ["fit", "lifts", "gains", "strong"], ["Push day {n}", "Meal prep + training {n}", "Max-out day {n}"], ["new PR", "form check gone wrong", "the diet that works"]),
        ("music-edits", "Music edits", ["beats", "music", "sounds", "vibes"], ["Studio session {n}", "Making a beat from scratch {n}", "Live set {n}"], ["the drop is insane", "he made this in 5 minutes", "sound of the summer"]),
        ("anime-edits", "Anime edits", ["otaku", "anime", "senpai", "manga"], ["Episode watch-along {n}", "Top 10 fights night {n}", "Manga chapter talk {n}"], ["goosebumps scene", "best fight edit", "the twist nobody saw"]),
        ("true-crime", "True crime", ["mystery", "files", "crime", "case"], ["Case file {n}", "Cold case deep dive {n}", "Unsolved night {n}"], ["the detail that solved it", "chilling confession", "this changes everything"]),
    ];

    public static readonly string[] FirstParts =
    [
        "kai", "zay", "lexi", "jay", "nova", "rico", "mila", "dex", "juju", "ty", "ava", "leo", "max", "zoe", "remy",
        "theo", "ari", "sky", "nico", "bree", "cam", "eli", "finn", "gigi", "hugo", "ivy", "jax", "kira", "luca", "mo",
        "nate", "oli", "pax", "quinn", "rae", "sol", "tate", "uma", "vic", "wes", "xan", "yuki", "zion", "big", "lil",
        "the", "real", "its", "just", "king", "queen", "doc", "coach", "uncle",
    ];

    public static readonly string[] ClipperParts =
    [
        "daily", "hq", "vault", "moments", "clipz", "bestof", "fans", "archive", "cuts", "highlights", "central", "zone",
        "world", "nation", "hub", "feed", "plug", "source", "lab", "shorts",
    ];
}
