using System.ComponentModel.DataAnnotations;

namespace Terminal.Data;

public enum DatabaseProvider
{
    Sqlite = 0,
    SqlServer = 1,
}

/// <summary><c>Terminal:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Terminal:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start. Always on for the embedded SQLite default; for SQL
    /// Server an operator opts in (or applies the idempotent script, see README).</summary>
    public bool MigrateAtStart { get; set; }

    /// <summary>SQLite only: replay a statement or transaction that met a busy/locked database
    /// (<see cref="SqliteRetryingExecutionStrategy"/>). SQL Server always retries transient failures.</summary>
    public bool SqliteRetryOnBusy { get; set; }
}

/// <summary><c>Terminal:KeyVault</c>: when <see cref="Uri"/> is set, secrets go to Azure Key Vault.</summary>
public sealed class KeyVaultOptions
{
    public const string Section = "Terminal:KeyVault";

    public string? Uri { get; set; }
}
