using Terminal.Data.LinkedAccounts;
using Terminal.Data.Secrets;

namespace Terminal.Data;

public partial class TerminalDbContext
{
    public DbSet<StoredSecret> Secrets => Set<StoredSecret>();
    public DbSet<PlatformCredential> PlatformCredentials => Set<PlatformCredential>();
    public DbSet<PlatformAccount> PlatformAccounts => Set<PlatformAccount>();
    public DbSet<OAuthLinkState> OAuthLinkStates => Set<OAuthLinkState>();
    public DbSet<AccountSnapshot> AccountSnapshots => Set<AccountSnapshot>();
    public DbSet<PlatformPost> PlatformPosts => Set<PlatformPost>();
    public DbSet<IngestionRun> IngestionRuns => Set<IngestionRun>();
}
