using Microsoft.AspNetCore.Identity;
using Terminal.Core.Accounts;
using Terminal.Core.Clips;
using Terminal.Jobs.Clips;
using Terminal.Jobs.LinkedAccounts;
using Terminal.Jobs.Media;
using Terminal.Data.Accounts;

namespace Terminal.Web.Features.Accounts;

/// <summary>
/// Deletes an account with its data (ACCT → Profile, issue #16): its running clips are stopped, the
/// VODs it registered go with their media and clips, its clip files and requests, its linked accounts
/// (grants revoked, tokens and client secrets deleted from the secret store), then the account row,
/// which takes its ledger, API keys, credentials, links and subscription with it (cascades).
/// Confirmed by typing the account's e-mail; the last administrator cannot delete themselves.
/// </summary>
public sealed class AccountDeletion(
    UserManager<TerminalUser> users,
    IAccountDirectory directory,
    ClipService clips,
    IClipRequests requests,
    IVods vods,
    IVodRemoval removal,
    LinkedAccountService linked,
    MediaPaths paths,
    ILogger<AccountDeletion> logger)
{
    public async Task DeleteAsync(TerminalUser user, string? confirmEmail, CancellationToken cancellationToken = default)
    {
        if (!string.Equals(confirmEmail?.Trim(), user.Email, StringComparison.OrdinalIgnoreCase))
        {
            throw TerminalException.BadRequest("confirm_mismatch", "Type your account's e-mail address exactly to confirm the deletion.");
        }

        if (await users.IsInRoleAsync(user, Roles.Admin) && (await directory.UserIdsInRoleAsync(Roles.Admin, cancellationToken)).Count <= 1)
        {
            throw TerminalException.Conflict("last_admin", "You are the only administrator: grant Admin to someone else in ADMIN first.");
        }

        foreach (var request in await clips.ListForUserAsync(user.Id, null, int.MaxValue, cancellationToken))
        {
            if (!request.IsFinal)
            {
                try
                {
                    await clips.CancelAsync(request.Id, user.Id, cancellationToken);
                }
                catch (TerminalException)
                {
                    // It finished meanwhile: deleted with the finished ones below.
                }
            }
        }

        // Refused (409) while someone else's clip of one of these VODs is being cut: nothing of the account is gone yet but those VODs.
        foreach (var vodId in await vods.RegisteredByAsync(user.Id, cancellationToken))
        {
            await removal.DeleteAsync(vodId, user.Id, isAdmin: false, cancellationToken);
        }

        var (files, unfinished) = await requests.DeleteFinishedOfUserAsync(user.Id, cancellationToken);
        foreach (var file in files)
        {
            File.Delete(Path.Combine(paths.ClipFolder, Path.GetFileName(file)));
        }

        if (unfinished > 0)
        {
            throw TerminalException.Conflict("clips_in_progress", "A clip of yours is still stopping; try again in a moment.");
        }

        await linked.ForgetUserAsync(user.Id, cancellationToken);
        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Deleting the account failed: " + string.Join(" ", result.Errors.Select(e => e.Code)));
        }

        logger.LogInformation("Account {UserId} deleted with its data ({Files} clip file(s))", user.Id, files.Count);
    }
}
