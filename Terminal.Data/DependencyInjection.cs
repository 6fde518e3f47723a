using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core;
using Terminal.Core.Clips;
using Terminal.Core.Credits;
using Terminal.Data.Clips;
using Terminal.Data.Credits;
using Terminal.Data.DataProtection;
using Terminal.Data.Secrets;

namespace Terminal.Data;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the database (provider chosen once, here), Data Protection with keys in the data
    /// directory (cookies and bearer tokens survive a restart), and the data services.
    /// </summary>
    public static IServiceCollection AddTerminalData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KeyVaultOptions>().BindConfiguration(KeyVaultOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        var dataDirectory = DataDirectory(configuration);
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = configuration.GetConnectionString("Terminal");

        if (database.Provider == DatabaseProvider.SqlServer)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new OptionsValidationException("ConnectionStrings:Terminal", typeof(DatabaseOptions),
                    ["ConnectionStrings:Terminal is required when Terminal:Database:Provider is SqlServer."]);
            }

            services.AddDbContextFactory<SqlServerTerminalDbContext>(o => o.UseSqlServer(connectionString, s => s.EnableRetryOnFailure()));
            services.AddSingleton<IDbContextFactory<TerminalDbContext>, UpcastFactory<SqlServerTerminalDbContext>>();
            services.AddScoped<TerminalDbContext>(sp => sp.GetRequiredService<SqlServerTerminalDbContext>());
        }
        else
        {
            var sqlite = string.IsNullOrWhiteSpace(connectionString)
                ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "terminal.db"), Cache = SqliteCacheMode.Private, Pooling = true, DefaultTimeout = 30 }.ToString()
                : connectionString;
            services.AddDbContextFactory<SqliteTerminalDbContext>(o => o.UseSqlite(sqlite, s =>
            {
                if (database.SqliteRetryOnBusy)
                {
                    s.ExecutionStrategy(d => new SqliteRetryingExecutionStrategy(d));
                }
            }));
            services.AddSingleton<IDbContextFactory<TerminalDbContext>, UpcastFactory<SqliteTerminalDbContext>>();
            services.AddScoped<TerminalDbContext>(sp => sp.GetRequiredService<SqliteTerminalDbContext>());
        }

        services.AddTerminalDataProtection(configuration, dataDirectory, database.Provider);

        services.AddTerminalSecrets(configuration);
        services.AddSingleton<TerminalDatabase>();
        services.AddSingleton<IClipRequests, ClipRequestStore>();
        services.AddSingleton<IVods, VodStore>();
        services.AddSingleton<Terminal.Core.Billing.IApiKeys, Billing.ApiKeyStore>();
        services.AddSingleton<Terminal.Core.Reports.IReportStore, Reports.ReportStore>();
        services.AddSingleton<Terminal.Core.Accounts.IAccountDirectory, Accounts.AccountDirectory>();
        services.AddSingleton<Terminal.Core.Health.IDatabaseStatus, Health.DatabaseStatusProbe>();
        services.AddSingleton<CreditLedger>();
        services.AddSingleton<ICreditLedger>(sp => sp.GetRequiredService<CreditLedger>());
        services.AddSingleton<Terminal.Core.MarketSources.IMarketSourceStore, MarketSources.MarketSourceStore>();
        services.AddSingleton<Terminal.Core.MarketSources.IMarketContributions, MarketSources.MarketContributionStore>();
        services.AddSingleton<Terminal.Core.MarketSources.ILiveStreams>(sp => sp.GetRequiredService<Terminal.Core.MarketSources.IMarketSourceStore>());
        services.AddSingleton<Terminal.Core.Market.IMarketHistory, Market.MarketHistoryStore>();
        services.AddSingleton<Terminal.Core.Market.IMarketStore, Market.MarketStore>();
        services.AddSingleton<Terminal.Core.Market.IMarketQueries, Market.MarketQueries>();
        services.AddSingleton<Terminal.Core.Billing.IBillingStore, Billing.BillingStore>();
        services.AddSingleton<Terminal.Core.LinkedAccounts.ILinkedAccountStore, LinkedAccounts.LinkedAccountStore>();
        services.AddSingleton<Terminal.Core.LinkedAccounts.IIngestionRuns, LinkedAccounts.IngestionRunStore>();
        services.AddSingleton<Terminal.Core.LinkedAccounts.IIngestionQueries, LinkedAccounts.IngestionQueries>();
        services.AddSingleton<Terminal.Core.LinkedAccounts.ICrmQueries, LinkedAccounts.CrmQueries>();
        services.AddSingleton<Terminal.Core.Cluster.ILeases, Cluster.LeaseStore>();
        services.AddSingleton<Terminal.Core.Alerts.IWatchlistStore, Alerts.WatchlistStore>();
        services.AddSingleton<Terminal.Core.Alerts.IAlertStore, Alerts.AlertStore>();
        services.AddSingleton<Terminal.Core.Alerts.ITickerWatchlistStore, Alerts.TickerWatchlistStore>();
        services.AddSingleton<Terminal.Core.Insights.IInsightData, Insights.InsightData>();
        services.AddSingleton<Terminal.Core.Insights.IPostFeatureBackfill, Insights.PostFeatureBackfill>();
        services.AddSingleton<Terminal.Core.Insights.IRejectedAnswerStore, Insights.RejectedAnswerStore>();
        return services;
    }

    /// <summary>Identity's user and role stores over the terminal's database (so the context stays Data's own).</summary>
    public static IdentityBuilder AddTerminalIdentityStores(this IdentityBuilder builder) =>
        builder.AddEntityFrameworkStores<TerminalDbContext>();

    /// <summary>The absolute data directory from <c>Terminal:DataDirectory</c>, created owner-only if missing.</summary>
    public static string DataDirectory(IConfiguration configuration)
    {
        var options = new TerminalOptions();
        configuration.GetSection(TerminalOptions.Section).Bind(options);
        var path = options.DataDirectoryFullPath;
        // Owner-only (0700, files 0600, umask 077): a copy of this directory must not be readable by others.
        OwnerOnlyFiles.SecureDirectory(path);
        return path;
    }

    /// <summary>
    /// Brings the schema up to date. Always for the embedded SQLite database; for SQL Server only when
    /// <c>Terminal:Database:MigrateAtStart</c> is true (operators normally apply the idempotent script).
    /// </summary>
    public static async Task InitialiseTerminalDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Terminal.Data");
        await using var db = await services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync(cancellationToken);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            await db.Database.MigrateAsync(cancellationToken);
            // WAL lets the UI read while the feed and jobs write.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            logger.LogInformation("SQLite database ready at {DataSource}", db.Database.GetDbConnection().DataSource);
        }
        else if (options.MigrateAtStart)
        {
            logger.LogWarning("Applying SQL Server migrations at start because Terminal:Database:MigrateAtStart is true");
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    /// <summary>Hands out the provider subclass as the provider-neutral context.</summary>
    private sealed class UpcastFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<TerminalDbContext>
        where TContext : TerminalDbContext
    {
        public TerminalDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<TerminalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}
