package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"tiendo/models"
)

type usersData struct {
	Users []models.User
	User  *models.User // the account edited, nil on the list
	Units []models.TreeUnit
	Roles []models.Role
	Form  *form
	// ResetLink is a password reset link just made, shown once.
	ResetLink string
}

var assignableRoles = []models.Role{models.RoleViewer, models.RoleAnalyst, models.RolePlanner, models.RoleAdmin}

// userFields are the account form's fields kept for a re-rendered form;
// the password is not among them, so it is never sent back.
var userFields = []string{"username", "role", "unit", "disabled", "email"}

// usersPage lists the accounts, with a form to add one.
func (h *Handler) usersPage(c *fiber.Ctx) error {
	f := newForm(h.lang(c))
	f.Vals["role"] = string(models.RoleViewer)
	return h.renderUsers(c, fiber.StatusOK, nil, f)
}

func (h *Handler) renderUsers(c *fiber.Ctx, status int, u *models.User, f *form) error {
	p := h.page(c, "")
	units, err := h.store.UnitTree(0)
	if err != nil {
		return err
	}
	d := usersData{User: u, Units: units, Roles: assignableRoles, Form: f}
	d.ResetLink, _ = c.Locals(resetLinkLocal).(string)
	page := "user_edit"
	if u == nil {
		page = "users"
		p.Title = p.T("users.title")
		if d.Users, err = h.store.Users(); err != nil {
			return err
		}
	} else {
		p.Title = p.T("users.edit_title", u.Username)
	}
	f.translate(h.cat)
	p.Data = d
	return h.render(c, status, layoutApp, page, p)
}

// readUser parses the account form; the password is taken as typed, untrimmed.
func readUser(c *fiber.Ctx, lang string) (*form, models.UserInput) {
	f := readForm(c, lang, userFields...)
	email := f.V("email")
	return f, models.UserInput{Username: f.V("username"), Role: models.Role(f.V("role")), UnitCode: f.V("unit"),
		Password: c.FormValue("password"), Disabled: f.Checked("disabled"), Email: &email}
}

// createUser adds an account.
func (h *Handler) createUser(c *fiber.Ctx) error {
	f, in := readUser(c, h.lang(c))
	if _, err := h.store.CreateUser(actor(c, models.ViaForm), in); err != nil {
		if f.absorb(err) {
			return h.renderUsers(c, fiber.StatusUnprocessableEntity, nil, f)
		}
		return err
	}
	return h.done(c, withLang(c, "/admin/users"), "done.user_created", in.Username)
}

func (h *Handler) userParam(c *fiber.Ctx) (*models.User, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 63) // 63 bits: PostgreSQL ids are signed BIGINT
	if err != nil {
		return nil, failure(fiber.StatusNotFound, "error.not_found")
	}
	return h.store.UserByID(uint(id))
}

// userPage shows one account's role, scope and state, and a password reset.
func (h *Handler) userPage(c *fiber.Ctx) error {
	u, err := h.userParam(c)
	if err != nil {
		return err
	}
	c.Locals(resetLinkLocal, h.takeResetLink(c))
	return h.renderUsers(c, fiber.StatusOK, u, userForm(h.lang(c), u))
}

// userForm is the account form filled with what is stored.
func userForm(lang string, u *models.User) *form {
	f := newForm(lang)
	f.Vals["role"], f.Vals["email"] = string(u.Role), u.Email
	if u.Unit != nil {
		f.Vals["unit"] = u.Unit.Code
	}
	if u.Disabled {
		f.Vals["disabled"] = "1"
	}
	return f
}

// updateUser changes an account. Admins cannot lock themselves out.
func (h *Handler) updateUser(c *fiber.Ctx) error {
	u, err := h.userParam(c)
	if err != nil {
		return err
	}
	f, in := readUser(c, h.lang(c))
	if u.ID == currentUser(c).ID && (in.Disabled || in.Role != models.RoleAdmin) {
		f.prob.Add("role", "error.self_demote")
		return h.renderUsers(c, fiber.StatusUnprocessableEntity, u, f)
	}
	if err := h.store.UpdateUser(actor(c, models.ViaForm), u.ID, in); err != nil {
		if f.absorb(err) {
			return h.renderUsers(c, fiber.StatusUnprocessableEntity, u, f)
		}
		return err
	}
	return h.done(c, withLang(c, codePath("/admin/users", strconv.FormatUint(uint64(u.ID), 10))), "done.user_saved", u.Username)
}
