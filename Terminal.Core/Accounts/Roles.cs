namespace Terminal.Core.Accounts;

public static class Roles
{
    public const string Admin = "Admin";
}
