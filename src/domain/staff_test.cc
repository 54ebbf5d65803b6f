#include "domain/staff.h"

#include <gtest/gtest.h>

namespace sscard::domain {
namespace {

Principal MakePrincipal(Role role, std::string region) {
  Principal principal;
  principal.username = "someone";
  principal.roles = {role};
  principal.region_code = std::move(region);
  principal.org_level = OrgLevel::kCounty;
  return principal;
}

// R-SEC-1: permissions follow the role; the region follows the org.
TEST(Authorize, NeedsBothPermissionAndRegionForRSec1) {
  Principal admin = MakePrincipal(Role::kOrgAdmin, "420115");
  EXPECT_TRUE(Authorize(admin, Permission::kManageStaff, "420115001"));
  auto other_county = Authorize(admin, Permission::kManageStaff, "420116");
  ASSERT_FALSE(other_county);
  EXPECT_EQ(other_county.error().code, ErrorCode::kOUT_OF_REGION);
  EXPECT_EQ(other_county.error().rule, "R-SEC-1");
  auto no_permission = Authorize(admin, Permission::kReview, "420115");
  ASSERT_FALSE(no_permission);
  EXPECT_EQ(no_permission.error().code, ErrorCode::kFORBIDDEN);
  EXPECT_EQ(no_permission.error().rule, "R-SEC-1");
}

// R-SEC-1 with R-CAT-2: permissions follow the org level too — reviews at county or above.
TEST(Authorize, ChecksTheOrgLevelForRSec1) {
  Principal town_reviewer = MakePrincipal(Role::kReviewer, "420115001");
  town_reviewer.org_level = OrgLevel::kTown;
  auto refused = Authorize(town_reviewer, Permission::kReview, "420115001");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFORBIDDEN);
  Principal county_reviewer = MakePrincipal(Role::kReviewer, "420115");
  county_reviewer.org_level = OrgLevel::kCounty;
  EXPECT_TRUE(Authorize(county_reviewer, Permission::kReview, "420115001"));
  Principal county_admin = MakePrincipal(Role::kProvinceAdmin, "420115");
  county_admin.org_level = OrgLevel::kCounty;
  EXPECT_FALSE(RequirePermission(county_admin, Permission::kManageOrgs));
  county_admin.org_level = OrgLevel::kProvince;
  EXPECT_TRUE(RequirePermission(county_admin, Permission::kManageOrgs));
}

TEST(Roles, TableGivesEachRoleItsWork) {
  EXPECT_TRUE(RoleGrants(Role::kClerk, Permission::kIntake));
  EXPECT_FALSE(RoleGrants(Role::kClerk, Permission::kReview));
  EXPECT_FALSE(RoleGrants(Role::kClerk, Permission::kReadStaff));
  EXPECT_TRUE(RoleGrants(Role::kReviewer, Permission::kReview));
  EXPECT_TRUE(RoleGrants(Role::kAuditor, Permission::kReadAudit));
  EXPECT_FALSE(RoleGrants(Role::kAuditor, Permission::kManageStaff));
  EXPECT_TRUE(RoleGrants(Role::kBank, Permission::kBankEvents));
  EXPECT_FALSE(RoleGrants(Role::kBank, Permission::kIntake));
  for (Role role : AllRoles()) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
    bool partner = role == Role::kPartner || role == Role::kDataPartner;
    bool outside = partner || role == Role::kCitizen || role == Role::kPayer;  // not staff: no reference reads
    EXPECT_EQ(RoleGrants(role, Permission::kReadReference), !outside) << RoleName(role);
    EXPECT_EQ(RoleGrants(role, Permission::kVerifyCard), partner) << RoleName(role);
  }
  EXPECT_EQ(AllRoles().size(), 12u);
  for (Permission permission : {Permission::kIntake, Permission::kReadCases, Permission::kReview}) {
    EXPECT_FALSE(RoleGrants(Role::kCitizen, permission));
  }
}

// R-ONE-1 / R-ONE-3: a partner's system verifies cards and reads nothing else; only an
// authorised department's system is given holders' basic data.
TEST(Roles, PartnersVerifyAndOnlyAuthorisedOnesSeeHolderDataForROne1AndROne3) {
  EXPECT_TRUE(RoleGrants(Role::kPartner, Permission::kVerifyCard));
  EXPECT_FALSE(RoleGrants(Role::kPartner, Permission::kShareHolderData));
  EXPECT_TRUE(RoleGrants(Role::kDataPartner, Permission::kShareHolderData));
  for (Permission permission : {Permission::kIntake, Permission::kReview, Permission::kUnmaskPersonalData,
                                Permission::kReadAudit, Permission::kStock}) {
    EXPECT_FALSE(RoleGrants(Role::kPartner, permission));
    EXPECT_FALSE(RoleGrants(Role::kDataPartner, permission));
  }
  for (Role role : AllRoles()) {
    if (role != Role::kDataPartner) {
      EXPECT_FALSE(RoleGrants(role, Permission::kShareHolderData)) << RoleName(role);
    }
  }
}

TEST(StaffPassword, NeedsLengthAndThreeClasses) {
  EXPECT_TRUE(CheckStaffPassword("Window-Clerk-2026", "zhangmin"));
  EXPECT_FALSE(CheckStaffPassword("short-A1", "clerk"));
  EXPECT_FALSE(CheckStaffPassword("alllowercaseletters", "clerk"));
  EXPECT_FALSE(CheckStaffPassword("Clerk-2026-abc", "clerk"));  // contains the username
  EXPECT_EQ(CheckStaffPassword("abc", "x").error().code, ErrorCode::kWEAK_PASSWORD);
  for (const char* guessable : {"Password12", "Admin@2026!", "P@ssw0rd-2026", "Sscard-Demo-2026", "Welcome#2026"}) {
    EXPECT_FALSE(CheckStaffPassword(guessable, "clerk")) << guessable;
  }
  EXPECT_TRUE(CheckStaffPassword("Good-Password-2026", "clerk"));
}

TEST(Username, AcceptsOnlyTheDocumentedShape) {
  EXPECT_TRUE(CheckUsername("clerk_01"));
  EXPECT_FALSE(CheckUsername("Clerk"));
  EXPECT_FALSE(CheckUsername("1clerk"));
  EXPECT_FALSE(CheckUsername("ab"));
  EXPECT_FALSE(CheckUsername("张三"));
}

// R-ACCEPT-1 / R-SEC-1: real-name accounts; five failures in a row lock the account.
TEST(Lockout, FifthFailureLocksForTheConfiguredTime) {
  TimePoint now = FromUnixMillis(1'800'000'000'000);
  LockoutPolicy policy;
  StaffAccount account;
  for (int failure = 1; failure <= 4; ++failure) {
    account = AfterFailedSignIn(account, now, policy);
    EXPECT_FALSE(IsLocked(account, now)) << failure;
  }
  account = AfterFailedSignIn(account, now, policy);
  EXPECT_TRUE(IsLocked(account, now));
  EXPECT_TRUE(IsLocked(account, now + std::chrono::minutes(14)));
  EXPECT_FALSE(IsLocked(account, now + std::chrono::minutes(15)));
}

TEST(Session, ExpiresWhenIdleOrOldOrRevoked) {
  TimePoint start = FromUnixMillis(1'800'000'000'000);
  SessionPolicy policy;
  Session session{"digest", "clerk", start, start, start + std::chrono::hours(12), false};
  EXPECT_EQ(EvaluateSession(session, start + std::chrono::minutes(29), policy), SessionState::kValid);
  EXPECT_EQ(EvaluateSession(session, start + std::chrono::minutes(30), policy),
            SessionState::kIdleExpired);
  session.last_seen_at = start + std::chrono::hours(11) + std::chrono::minutes(50);
  EXPECT_EQ(EvaluateSession(session, start + std::chrono::hours(11) + std::chrono::minutes(59), policy),
            SessionState::kValid);
  EXPECT_EQ(EvaluateSession(session, start + std::chrono::hours(12), policy), SessionState::kExpired);
  session.revoked = true;
  EXPECT_EQ(EvaluateSession(session, start, policy), SessionState::kRevoked);
}

}  // namespace
}  // namespace sscard::domain
