using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Secrets;
using Terminal.Data;
using Terminal.Data.Secrets;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Data.Secrets;

public sealed class DataProtectionSecretStoreTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task DefaultStore_EncryptsAtRest_RoundTrips_AndDeletes()
    {
        _ = factory.CreateApiClient(); // starts the app (migrations)
        var store = factory.Services.GetRequiredService<ISecretStore>();
        store.Should().BeOfType<DataProtectionSecretStore>();

        var reference = await store.SetAsync("plain-secret-42");

        await using (var db = await factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync())
        {
            var row = await db.Secrets.FindAsync(reference);
            row!.Ciphertext.Should().NotContain("plain-secret-42");
        }

        (await store.GetAsync(reference)).Should().Be("plain-secret-42");
        await store.DeleteAsync(reference);
        (await store.GetAsync(reference)).Should().BeNull();
    }
}
